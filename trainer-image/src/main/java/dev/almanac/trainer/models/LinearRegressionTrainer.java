package dev.almanac.trainer.models;

import java.util.Map;
import java.util.Set;

/**
 * Linear (alpha = 0) and Ridge regression with an unpenalized intercept. Features are standardized
 * first by default, like the anchor's {@code make_pipeline(StandardScaler(), Ridge(alpha))}; the
 * fitted coefficients are mapped back to raw feature units, so the exported graph takes raw
 * features.
 */
public final class LinearRegressionTrainer implements RegressorTrainer {
  private static final Set<String> LINEAR_PARAMS = Set.of("standardize");
  private static final Set<String> RIDGE_PARAMS = Set.of("alpha", "standardize");

  private final String type;
  private final Map<String, String> spec;

  private LinearRegressionTrainer(String type, Map<String, String> spec) {
    this.type = type;
    this.spec = spec;
  }

  public static LinearRegressionTrainer linear(Map<String, String> spec) {
    return new LinearRegressionTrainer("Linear", spec);
  }

  public static LinearRegressionTrainer ridge(Map<String, String> spec) {
    return new LinearRegressionTrainer("Ridge", spec);
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public TrainedLinearRegressor fit(double[][] x, double[] y, FitOptions o) {
    boolean ridge = type.equals("Ridge");
    ModelParams p = ModelParams.of(type, spec, o.params(), ridge ? RIDGE_PARAMS : LINEAR_PARAMS);
    double alpha = ridge ? p.nonNegative("alpha", 1.0) : 0.0;
    boolean standardize = p.flag("standardize", true);
    int f = TrainingData.checkShape(x, y.length);
    TrainingData.checkFinite(x, type);
    int n = x.length;

    double[] mean = new double[f];
    double[] scale = new double[f];
    for (double[] row : x) {
      for (int j = 0; j < f; j++) {
        mean[j] += row[j];
      }
    }
    for (int j = 0; j < f; j++) {
      mean[j] /= n;
    }
    for (double[] row : x) {
      for (int j = 0; j < f; j++) {
        double d = row[j] - mean[j];
        scale[j] += d * d;
      }
    }
    for (int j = 0; j < f; j++) {
      double sd = Math.sqrt(scale[j] / n);
      scale[j] =
          standardize && sd > 0 ? sd : 1.0; // StandardScaler leaves constant columns unscaled
    }
    double yMean = 0;
    for (double v : y) {
      yMean += v;
    }
    yMean /= n;

    double[][] z = new double[n][f];
    double[] yc = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < f; j++) {
        z[i][j] = (x[i][j] - mean[j]) / scale[j];
      }
      yc[i] = y[i] - yMean;
    }
    double[] beta = LeastSquaresSolver.solve(z, yc, alpha);
    double[] coef = new double[f];
    double intercept = yMean;
    for (int j = 0; j < f; j++) {
      coef[j] = beta[j] / scale[j];
      intercept -= coef[j] * mean[j];
    }
    return new TrainedLinearRegressor(type, coef, intercept);
  }
}
