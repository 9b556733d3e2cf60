package dev.almanac.trainer.tracking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.almanac.trainer.pipeline.RunResult;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON the operator reads from the pod's termination message (docs/trainer-result.md): at most
 * 4 KiB, per-series metrics dropped first when it would not fit.
 */
public final class TerminationMessage {
  static final int LIMIT = 4096;

  private TerminationMessage() {}

  public static String of(RunResult result, RecordedRun recorded, int exitCode) {
    var json = new LinkedHashMap<String, Object>();
    if (exitCode == 0 && recorded != null) {
      json.put("status", "succeeded");
      json.put("mlflowRunId", recorded.mlflowRunId());
      json.put("registeredModel", recorded.registeredModel());
      json.put("modelVersion", recorded.modelVersion());
    } else {
      json.put("status", exitCode == 2 ? "invalid-spec" : "failed");
      json.put("reason", result.message() == null ? "exit code " + exitCode : result.message());
    }
    if (result.metric() != null) {
      json.put("metric", result.metric());
    }
    if (result.value() != null) {
      json.put("value", result.value());
    }
    if (recorded != null && recorded.championVersion() != null) {
      json.put("championVersion", recorded.championVersion());
      if (recorded.championValue() != null) {
        json.put("championMetric", recorded.championValue());
      }
    }
    var metrics = new LinkedHashMap<String, String>();
    if (result.metrics() != null) {
      result
          .metrics()
          .forEach(
              (k, v) -> {
                if (v != null && Double.isFinite(v)) {
                  metrics.put(k.toLowerCase(Locale.ROOT), String.format(Locale.ROOT, "%.4f", v));
                }
              });
    }
    json.put("metrics", metrics);
    var text = write(json);
    while (text.length() > LIMIT && !metrics.isEmpty()) {
      metrics.remove(metrics.keySet().stream().reduce((a, b) -> b).orElseThrow());
      text = write(json);
    }
    return text.length() > LIMIT ? text.substring(0, LIMIT) : text;
  }

  /**
   * A scheduled run that found nothing new to train: the operator records it as Skipped with this
   * reason.
   */
  public static String skipped(String reason, String productionVersion) {
    var json = new LinkedHashMap<String, Object>();
    json.put("status", "skipped");
    json.put("reason", reason);
    json.put("championVersion", productionVersion);
    var text = write(json);
    return text.length() > LIMIT ? text.substring(0, LIMIT) : text;
  }

  /**
   * One shard of a sharded run left its partial bundle at {@code uri}: the operator waits for every
   * shard, then starts the merge step that registers the version.
   */
  public static String partial(int shard, int shards, String uri) {
    var json = new LinkedHashMap<String, Object>();
    json.put("status", "partial");
    json.put("reason", "shard " + shard + " of " + shards + " left its partial bundle at " + uri);
    return write(json);
  }

  private static String write(Map<String, Object> json) {
    try {
      return new ObjectMapper().writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
