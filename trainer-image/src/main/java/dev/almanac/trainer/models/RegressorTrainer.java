package dev.almanac.trainer.models;

/** Fits one regression model type on a dense feature matrix. */
public interface RegressorTrainer {
  String type();

  TrainedRegressor fit(double[][] x, double[] y, FitOptions o);
}
