package dev.almanac.operator.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one trainer process reports in its container termination message (schema in {@code
 * docs/trainer-result.md}). Unknown fields are ignored so the trainer can add more.
 *
 * @param status succeeded, failed, invalid-spec, skipped or partial (a shard)
 * @param field for invalid-spec: the spec field at fault, relative to spec (validation.holdoutDays)
 * @param metric the gate metric's name (MASE, Accuracy, ...)
 * @param value the challenger's holdout value of {@code metric}
 * @param championVersion the Production version scored on the same holdout (absent: no champion)
 * @param championMetric the champion's value of {@code metric} on the same holdout
 * @param metrics further holdout metrics (mase, mase.USA, ...) for status.runs[].metrics
 */
public record TrainerResult(
    String status,
    String reason,
    String field,
    String mlflowRunId,
    String registeredModel,
    String modelVersion,
    String metric,
    Double value,
    String championVersion,
    Double championMetric,
    Map<String, String> metrics) {
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String INVALID_SPEC = "invalid-spec";

  /**
   * A scheduled run found the data and training spec unchanged since production and trained
   * nothing.
   */
  public static final String SKIPPED = "skipped";

  /** One shard of a sharded run left its partial bundle for the merge step. */
  public static final String PARTIAL = "partial";

  private static final ObjectMapper JSON = new ObjectMapper();

  public boolean succeeded() {
    return SUCCEEDED.equals(status);
  }

  public boolean partial() {
    return PARTIAL.equals(status);
  }

  public boolean skipped() {
    return SKIPPED.equals(status);
  }

  public boolean invalidSpec() {
    return INVALID_SPEC.equals(status);
  }

  /** Parses a termination message; anything that is not a result object is reported as such. */
  public static Optional<TrainerResult> parse(String message) {
    if (message == null || message.isBlank()) {
      return Optional.empty();
    }
    var text = message.strip();
    int start = text.lastIndexOf("\n{");
    // FallbackToLogsOnError puts log lines before the JSON; the result is the last line that is an
    // object
    text = start >= 0 ? text.substring(start + 1) : text;
    if (!text.startsWith("{")) {
      return Optional.empty();
    }
    try {
      var node = JSON.readTree(text);
      if (!node.isObject() || !node.hasNonNull("status")) {
        return Optional.empty();
      }
      var metrics = new LinkedHashMap<String, String>();
      node.path("metrics")
          .fields()
          .forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().asText()));
      // also accepts the trainer CLI's current RunResult spelling (Succeeded/Failed, message,
      // runId, exitCode 2)
      var status = text(node, "status").toLowerCase(java.util.Locale.ROOT);
      if (FAILED.equals(status) && node.path("exitCode").asInt(-1) == 2) {
        status = INVALID_SPEC;
      }
      var reason = text(node, "reason") != null ? text(node, "reason") : text(node, "message");
      var runId =
          text(node, "mlflowRunId") != null ? text(node, "mlflowRunId") : text(node, "runId");
      return Optional.of(
          new TrainerResult(
              status,
              reason,
              text(node, "field"),
              runId,
              text(node, "registeredModel"),
              text(node, "modelVersion"),
              text(node, "metric"),
              number(node, "value"),
              text(node, "championVersion"),
              number(node, "championMetric"),
              Map.copyOf(metrics)));
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }

  private static String text(JsonNode node, String field) {
    var v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Double number(JsonNode node, String field) {
    var v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    try {
      return Double.parseDouble(v.asText());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
