package dev.almanac.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a pipeline learns: a daily time series or a label from features. */
public enum Task {
  @JsonProperty("forecast")
  FORECAST,
  @JsonProperty("classification")
  CLASSIFICATION;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
