package dev.almanac.trainer.models;

import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Multinomial logistic regression as scikit-learn's default LogisticRegression: L2 penalty
 * 1/(2C)·||W||² on the weights (not the intercepts), mean cross-entropy, L-BFGS, gtol = tol.
 */
public final class LogisticRegressionTrainer implements ClassifierTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(LogisticRegressionTrainer.class);
  private static final Set<String> PARAMS = Set.of("C", "max_iter", "tol");

  private final Map<String, String> spec;

  public LogisticRegressionTrainer(Map<String, String> spec) {
    this.spec = spec;
  }

  @Override
  public String type() {
    return "LogisticRegression";
  }

  @Override
  public TrainedSoftmaxClassifier fit(double[][] x, int[] y, int nClasses, FitOptions o) {
    ModelParams p = ModelParams.of(type(), spec, o.params(), PARAMS);
    double c = p.positive("C", 1.0);
    int maxIter = p.integer("max_iter", 100, 1);
    double tol = p.positive("tol", 1e-4);
    int f = TrainingData.checkShape(x, y.length);
    TrainingData.checkFinite(x, type());
    TrainingData.checkLabels(y, nClasses);
    int n = x.length;
    int k = nClasses;
    double l2 = 1.0 / (c * n);
    // parameter layout: W[j][c] at j*k + c, then the k intercepts
    Lbfgs.Objective objective =
        (w, grad) -> {
          java.util.Arrays.fill(grad, 0.0);
          double loss = 0;
          double[] z = new double[k];
          for (int i = 0; i < n; i++) {
            double[] row = x[i];
            for (int cl = 0; cl < k; cl++) {
              z[cl] = w[f * k + cl];
            }
            for (int j = 0; j < f; j++) {
              double v = row[j];
              if (v != 0.0) {
                int base = j * k;
                for (int cl = 0; cl < k; cl++) {
                  z[cl] += v * w[base + cl];
                }
              }
            }
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z) {
              max = Math.max(max, v);
            }
            double sum = 0;
            for (int cl = 0; cl < k; cl++) {
              z[cl] = Math.exp(z[cl] - max);
              sum += z[cl];
            }
            loss += Math.log(sum) + max - (Math.log(z[y[i]]) + max);
            for (int cl = 0; cl < k; cl++) {
              z[cl] = (z[cl] / sum - (cl == y[i] ? 1.0 : 0.0)) / n;
              grad[f * k + cl] += z[cl];
            }
            for (int j = 0; j < f; j++) {
              double v = row[j];
              if (v != 0.0) {
                int base = j * k;
                for (int cl = 0; cl < k; cl++) {
                  grad[base + cl] += v * z[cl];
                }
              }
            }
          }
          loss /= n;
          for (int i = 0; i < f * k; i++) {
            loss += 0.5 * l2 * w[i] * w[i];
            grad[i] += l2 * w[i];
          }
          return loss;
        };
    Lbfgs.Result r = Lbfgs.minimize(objective, new double[f * k + k], maxIter, tol);
    if (!r.converged()) {
      LOG.warn(
          "LogisticRegression did not converge in {} iterations (loss {}); raise max_iter",
          r.iterations(),
          r.value());
    }
    double[][] coef = new double[f][k];
    double[] intercept = new double[k];
    for (int j = 0; j < f; j++) {
      System.arraycopy(r.w(), j * k, coef[j], 0, k);
    }
    System.arraycopy(r.w(), f * k, intercept, 0, k);
    return new TrainedSoftmaxClassifier(type(), coef, intercept);
  }
}
