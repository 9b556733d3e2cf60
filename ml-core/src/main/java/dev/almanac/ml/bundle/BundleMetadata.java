package dev.almanac.ml.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code almanac.json}: everything beyond the ONNX graph that serving needs. Exactly one of {@code
 * forecast} / {@code classification} is set, matching {@code task}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BundleMetadata(
    int formatVersion,
    String task,
    String name,
    String version,
    String createdAt,
    String pipeline,
    String runId,
    DataLineage data,
    ForecastSection forecast,
    ClassificationSection classification) {
  /** The newest format this code reads. */
  public static final int FORMAT_VERSION = 3;

  /**
   * Version 2 adds ETS members with a multiplicative season (the field {@code seasonal} of {@code
   * ets}).
   */
  public static final int FORMAT_VERSION_MULTIPLICATIVE_ETS = 2;

  /**
   * Version 3 adds Prophet members (the field {@code prophet}); a version-2 reader could not serve
   * them.
   */
  public static final int FORMAT_VERSION_PROPHET = 3;

  /**
   * The version a bundle is written with: the oldest that can serve it. A reader of version 1
   * ignores unknown fields, so it would serve a multiplicative ETS as an additive one; version 2
   * makes it refuse.
   */
  public static int formatVersionFor(ForecastSection forecast) {
    boolean mul =
        forecast != null
            && forecast.series().values().stream()
                .flatMap(e -> e.members().stream())
                .anyMatch(m -> m.ets() != null && m.ets().multiplicative());
    boolean prophet =
        forecast != null
            && forecast.series().values().stream()
                .flatMap(e -> e.members().stream())
                .anyMatch(m -> m.prophet() != null);
    return prophet ? FORMAT_VERSION_PROPHET : mul ? FORMAT_VERSION_MULTIPLICATIVE_ETS : 1;
  }

  public static final String FORECAST = "forecast";
  public static final String CLASSIFICATION = "classification";
}
