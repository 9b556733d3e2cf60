package dev.almanac.ml.metrics;

/**
 * Accuracy, macro F1 (over the classes present in truth or prediction), log loss (probabilities
 * clipped to [1e-15, 1-1e-15] like scikit-learn) and top-3 accuracy of predicted class
 * probabilities.
 */
public record ClassificationMetrics(
    double accuracy, double macroF1, double logLoss, double top3Accuracy, int n) {
  private static final double EPS = 1e-15;

  public static ClassificationMetrics of(int[] truth, double[][] proba) {
    int n = truth.length;
    if (n == 0 || proba.length != n) {
      throw new IllegalArgumentException(
          "truth and probabilities must be non-empty and equally long");
    }
    int c = proba[0].length;
    int[] tp = new int[c];
    int[] fp = new int[c];
    int[] fn = new int[c];
    int correct = 0;
    int top3 = 0;
    double ll = 0;
    for (int i = 0; i < n; i++) {
      double[] p = proba[i];
      int pred = argmax(p);
      if (pred == truth[i]) {
        correct++;
        tp[pred]++;
      } else {
        fp[pred]++;
        fn[truth[i]]++;
      }
      int higher = 0;
      for (double v : p) {
        if (v > p[truth[i]]) {
          higher++;
        }
      }
      if (higher < 3) {
        top3++;
      }
      double sum = 0;
      for (double v : p) {
        sum += Math.min(Math.max(v, EPS), 1 - EPS);
      }
      ll -= Math.log(Math.min(Math.max(p[truth[i]], EPS), 1 - EPS) / sum);
    }
    double f1 = 0;
    int classes = 0;
    for (int k = 0; k < c; k++) {
      if (tp[k] + fp[k] + fn[k] == 0) {
        continue;
      }
      classes++;
      f1 += 2.0 * tp[k] / (2.0 * tp[k] + fp[k] + fn[k]);
    }
    return new ClassificationMetrics(
        (double) correct / n, classes == 0 ? 0 : f1 / classes, ll / n, (double) top3 / n, n);
  }

  public static int argmax(double[] p) {
    int best = 0;
    for (int k = 1; k < p.length; k++) {
      if (p[k] > p[best]) {
        best = k;
      }
    }
    return best;
  }

  /** The value of a metric by its spec name (Accuracy, F1, LogLoss). */
  public double get(String metric) {
    return switch (metric) {
      case "Accuracy" -> accuracy;
      case "F1" -> macroF1;
      case "LogLoss" -> logLoss;
      default -> throw new IllegalArgumentException("unknown classification metric " + metric);
    };
  }
}
