package dev.almanac.ml.clean;

/**
 * Per-series z-score into model space, fitted on a training window only (population sd; sd 0 → 1).
 * Per-series models use {@link #identity()} (trees are scale-free and the linear models standardise
 * their own inputs); global models need it so one model sees series of different sizes alike.
 */
public record SeriesScaler(double mean, double sd) {
  public static SeriesScaler identity() {
    return new SeriesScaler(0.0, 1.0);
  }

  public static SeriesScaler fit(double[] train) {
    double m = 0;
    for (double v : train) {
      m += v;
    }
    m /= train.length;
    double ss = 0;
    for (double v : train) {
      ss += (v - m) * (v - m);
    }
    double sd = Math.sqrt(ss / train.length);
    return new SeriesScaler(m, sd == 0 ? 1.0 : sd);
  }

  public double forward(double v) {
    return (v - mean) / sd;
  }

  public double inverse(double z) {
    return z * sd + mean;
  }

  public double[] forward(double[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = forward(v[i]);
    }
    return out;
  }

  public double[] inverse(double[] z) {
    double[] out = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      out[i] = inverse(z[i]);
    }
    return out;
  }
}
