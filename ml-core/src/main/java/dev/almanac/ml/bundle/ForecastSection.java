package dev.almanac.ml.bundle;

import dev.almanac.ml.features.FeatureSpec;
import java.util.List;
import java.util.Map;

/** Forecast part of the bundle metadata. {@code series} keeps the training order. */
public record ForecastSection(
    String timeColumn,
    String seriesColumn,
    String target,
    FeatureSpec features,
    List<String> featureNames,
    boolean global,
    int horizon,
    String promotedModel,
    Map<String, SeriesEntry> series) {
  public ForecastSection {
    featureNames = List.copyOf(featureNames);
    series = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(series));
  }
}
