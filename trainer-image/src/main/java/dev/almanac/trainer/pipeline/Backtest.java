package dev.almanac.trainer.pipeline;

import dev.almanac.trainer.models.TrainedRegressor;
import java.util.List;
import java.util.Map;

/**
 * One rolling-origin backtest of a group: members fitted on the series cut at the origin ({@code
 * preps}), their case-scale forecasts of the next V days ({@code paths}, per series by member
 * name), the actuals, each series' MASE scale at the origin (scores the members) and its recent
 * variability at the origin (scales the interval residuals, {@code ConformalCalibration#scaleOf}).
 */
record Backtest(
    List<PreparedSeries> preps,
    Map<String, TrainedRegressor> models,
    List<Map<String, double[]>> paths,
    List<double[]> actual,
    double[] scale,
    double[] intervalScale) {

  /** Mean over series of the member's MAE. */
  double mae(String member) {
    double sum = 0;
    for (int i = 0; i < actual.size(); i++) {
      sum += mae(actual.get(i), paths.get(i).get(member));
    }
    return sum / actual.size();
  }

  /** Mean over series of the member's MAE divided by the series' scale (its MASE here). */
  double scaledError(String member) {
    double sum = 0;
    for (int i = 0; i < actual.size(); i++) {
      sum += score(i, mae(actual.get(i), paths.get(i).get(member)));
    }
    return sum / actual.size();
  }

  private double score(int i, double mae) {
    return mae / scale[i];
  }

  /** Mean over series of the scaled MAE of Σ w_k · member_k (weights aligned with the names). */
  double scaledError(List<String> names, double[] weights) {
    double sum = 0;
    for (int i = 0; i < actual.size(); i++) {
      double[] a = actual.get(i);
      double[] mix = new double[a.length];
      for (int k = 0; k < names.size(); k++) {
        if (weights[k] != 0) {
          double[] p = paths.get(i).get(names.get(k));
          for (int d = 0; d < a.length; d++) {
            mix[d] += weights[k] * p[d];
          }
        }
      }
      sum += score(i, mae(a, mix));
    }
    return sum / actual.size();
  }

  static double mae(double[] a, double[] f) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += Math.abs(a[i] - f[i]);
    }
    return s / a.length;
  }
}
