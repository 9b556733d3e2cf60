package dev.almanac.ml.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code almanac.json}: everything beyond the ONNX graph that serving needs. Exactly one of
 * {@code forecast} / {@code classification} is set, matching {@code task}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BundleMetadata(int formatVersion, String task, String name, String version, String createdAt,
    String pipeline, String runId, DataLineage data, ForecastSection forecast, ClassificationSection classification) {
  public static final int FORMAT_VERSION = 1;
  public static final String FORECAST = "forecast";
  public static final String CLASSIFICATION = "classification";
}
