package dev.almanac.trainer.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.Map;

/**
 * The short summary a run leaves in {@code <output>/result.json} and {@code /dev/termination-log};
 * the operator reads it to apply the gates and to fill the run's status.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RecordBuilder
public record RunResult(
    String status,
    int exitCode,
    String task,
    String pipeline,
    String registeredModel,
    String runId,
    String bundle,
    String promotedModel,
    String metric,
    Double value,
    Double threshold,
    Boolean gatePassed,
    Double parityMaxRelDiff,
    Double championValue,
    Boolean beatsChampion,
    Map<String, Double> metrics,
    String dataSha256,
    Integer series,
    Map<String, Double> seconds,
    String message)
    implements RunResultBuilder.With {

  /**
   * The same result without per-model metrics and timings: the termination message is limited to 4
   * KiB.
   */
  public RunResult withoutDetails() {
    return with(b -> b.metrics(null).seconds(null));
  }

  /** The same result with the production version's score on this holdout (scored after the run). */
  public RunResult withChampion(double champion) {
    Boolean beats =
        value == null
            ? null
            : ("Accuracy".equals(metric) || "F1".equals(metric)
                ? value > champion
                : value < champion);
    return with(b -> b.championValue(champion).beatsChampion(beats));
  }

  /**
   * The same result with {@code extra} metrics added (e.g. realized accuracy of earlier versions).
   */
  public RunResult plusMetrics(Map<String, Double> extra) {
    var merged = new java.util.LinkedHashMap<String, Double>(metrics == null ? Map.of() : metrics);
    merged.putAll(extra);
    return with(b -> b.metrics(merged));
  }

  /** A scheduled run that found nothing new to train ({@code --skip-if-unchanged}). */
  public static RunResult skipped(String message, Map<String, Double> seconds) {
    return failure(ExitCode.OK, message, seconds).withStatus("Skipped");
  }

  public static RunResult failure(ExitCode code, String message, Map<String, Double> seconds) {
    return RunResultBuilder.builder()
        .status("Failed")
        .exitCode(code.code())
        .seconds(seconds)
        .message(message)
        .build();
  }
}
