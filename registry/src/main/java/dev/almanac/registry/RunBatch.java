package dev.almanac.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Params, metrics and tags to log to a run in as few {@code runs/log-batch} calls as MLflow allows.
 * Limits are checked before anything is sent, so an invalid batch logs nothing.
 */
public record RunBatch(Map<String, String> params, List<Metric> metrics, Map<String, String> tags) {
  /** MLflow's limits per log-batch request. */
  public static final int MAX_METRICS_PER_CALL = 1000;

  public static final int MAX_PARAMS_PER_CALL = 100;
  public static final int MAX_TAGS_PER_CALL = 100;
  public static final int MAX_ENTRIES_PER_CALL = 1000;
  public static final int MAX_PARAM_VALUE_LENGTH = 6000;
  public static final int MAX_TAG_VALUE_LENGTH = 8000;
  public static final int MAX_KEY_LENGTH = 250;

  public RunBatch {
    params = Map.copyOf(params);
    metrics = List.copyOf(metrics);
    tags = Map.copyOf(tags);
  }

  public static RunBatch params(Map<String, String> params) {
    return new RunBatch(params, List.of(), Map.of());
  }

  public static RunBatch metrics(List<Metric> metrics) {
    return new RunBatch(Map.of(), metrics, Map.of());
  }

  public static RunBatch tags(Map<String, String> tags) {
    return new RunBatch(Map.of(), List.of(), tags);
  }

  public boolean isEmpty() {
    return params.isEmpty() && metrics.isEmpty() && tags.isEmpty();
  }

  /** Throws {@link IllegalArgumentException} naming the first key or value MLflow would reject. */
  public void validate() {
    params.forEach(
        (k, v) -> {
          checkKey("param", k);
          if (v == null) {
            throw new IllegalArgumentException("param '" + k + "' has no value");
          }
          if (v.length() > MAX_PARAM_VALUE_LENGTH) {
            throw new IllegalArgumentException(
                "param '"
                    + k
                    + "' value has "
                    + v.length()
                    + " chars; MLflow allows "
                    + MAX_PARAM_VALUE_LENGTH);
          }
        });
    tags.forEach(
        (k, v) -> {
          checkKey("tag", k);
          if (v == null) {
            throw new IllegalArgumentException("tag '" + k + "' has no value");
          }
          if (v.length() > MAX_TAG_VALUE_LENGTH) {
            throw new IllegalArgumentException(
                "tag '"
                    + k
                    + "' value has "
                    + v.length()
                    + " chars; MLflow allows "
                    + MAX_TAG_VALUE_LENGTH);
          }
        });
    metrics.forEach(m -> checkKey("metric", m.key()));
  }

  /**
   * Splits into batches that each respect MLflow's per-call limits; params first, then tags, then
   * metrics.
   */
  public List<RunBatch> split() {
    var chunks = new ArrayList<RunBatch>();
    var paramList = new ArrayList<>(params.entrySet());
    var tagList = new ArrayList<>(tags.entrySet());
    int p = 0;
    int t = 0;
    int m = 0;
    while (p < paramList.size() || t < tagList.size() || m < metrics.size()) {
      var chunkParams = new LinkedHashMap<String, String>();
      var chunkTags = new LinkedHashMap<String, String>();
      while (p < paramList.size() && chunkParams.size() < MAX_PARAMS_PER_CALL) {
        chunkParams.put(paramList.get(p).getKey(), paramList.get(p).getValue());
        p++;
      }
      while (t < tagList.size() && chunkTags.size() < MAX_TAGS_PER_CALL) {
        chunkTags.put(tagList.get(t).getKey(), tagList.get(t).getValue());
        t++;
      }
      int room =
          Math.min(
              MAX_METRICS_PER_CALL, MAX_ENTRIES_PER_CALL - chunkParams.size() - chunkTags.size());
      int end = Math.min(metrics.size(), m + room);
      chunks.add(new RunBatch(chunkParams, metrics.subList(m, end), chunkTags));
      m = end;
    }
    return chunks;
  }

  private static void checkKey(String what, String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException(what + " key is empty");
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException(
          what
              + " key '"
              + key.substring(0, 40)
              + "...' has "
              + key.length()
              + " chars; MLflow allows "
              + MAX_KEY_LENGTH);
    }
  }
}
