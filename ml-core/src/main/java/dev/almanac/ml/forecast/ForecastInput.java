package dev.almanac.ml.forecast;

import java.time.LocalDate;

/**
 * What the recursive forecaster needs about one series, in model space.
 *
 * @param history known values up to and including {@code lastDate}
 * @param extra extra feature columns of this series (one-hot id of a global model), or null
 * @param floor model-space value of 0 cases; no prediction goes below it
 * @param offsets per-step additive term (weighted statistical ensemble members), or null
 */
public record ForecastInput(
    double[] history, LocalDate lastDate, double[] extra, double floor, double[] offsets) {
  public static ForecastInput of(double[] history, LocalDate lastDate) {
    return new ForecastInput(history, lastDate, null, 0.0, null);
  }
}
