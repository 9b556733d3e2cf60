package dev.almanac.ml.features;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Which features a forecast model sees; mirrors {@code spec.features} of a ForecastPipeline. */
public record FeatureSpec(
    List<Integer> lags, List<Integer> rollingWindows, boolean calendar, boolean differences) {
  @JsonCreator
  public FeatureSpec(
      @JsonProperty("lags") List<Integer> lags,
      @JsonProperty("rollingWindows") List<Integer> rollingWindows,
      @JsonProperty("calendar") boolean calendar,
      @JsonProperty("differences") boolean differences) {
    this.lags = List.copyOf(lags);
    this.rollingWindows = List.copyOf(rollingWindows);
    this.calendar = calendar;
    this.differences = differences;
    for (int l : this.lags) {
      if (l < 1) {
        throw new IllegalArgumentException("lag must be >= 1, got " + l);
      }
    }
    for (int w : this.rollingWindows) {
      if (w < 2) {
        throw new IllegalArgumentException(
            "rolling window must be >= 2 (std needs 2 values), got " + w);
      }
    }
  }

  /** The DESIGN.md default: lags 1/7/14, windows 7/14, calendar and differences on. */
  public static FeatureSpec defaults() {
    return new FeatureSpec(List.of(1, 7, 14), List.of(7, 14), true, true);
  }
}
