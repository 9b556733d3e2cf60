package dev.almanac.api.v1alpha1.pipeline;

/** Validation metrics. Forecast: MAE, RMSE, SMAPE, MASE. Classification: Accuracy, LogLoss, F1. */
public enum Metric {
  MAE,
  RMSE,
  SMAPE,
  MASE,
  Accuracy,
  LogLoss,
  F1;

  /** True when a larger value is better (Accuracy, F1); error metrics are better when smaller. */
  public boolean higherIsBetter() {
    return this == Accuracy || this == F1;
  }

  public boolean fits(Task task) {
    boolean forecastMetric = this == MAE || this == RMSE || this == SMAPE || this == MASE;
    return task == Task.FORECAST ? forecastMetric : !forecastMetric;
  }
}
