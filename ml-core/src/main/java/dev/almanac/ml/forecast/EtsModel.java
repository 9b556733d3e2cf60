package dev.almanac.ml.forecast;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Arrays;

/**
 * Holt–Winters exponential smoothing with a damped additive trend and an additive season (the
 * anchor's statsmodels {@code ExponentialSmoothing(trend="add", damped_trend=True, seasonal="add")}).
 * Parameters and initial states are estimated together by least squares ({@link #fit}); the record is
 * what the model bundle stores, so a server re-filters a history with the same parameters.
 */
public record EtsModel(double alpha, double beta, double gamma, double phi, double level0, double trend0, double[] season0) {
  private static final double PHI_MIN = 0.8;
  private static final double PHI_MAX = 0.995;

  @JsonIgnore
  public int period() {
    return season0.length;
  }

  /** Fits on {@code y} (at least two seasons long) with weekly seasonality unless told otherwise. */
  public static EtsModel fit(double[] y) {
    return fit(y, NaiveForecasts.SEASON);
  }

  public static EtsModel fit(double[] y, int m) {
    if (y.length < 2 * m + 2) {
      throw new IllegalArgumentException("ETS needs at least " + (2 * m + 2) + " values, got " + y.length);
    }
    double mean0 = 0;
    double mean1 = 0;
    for (int i = 0; i < m; i++) {
      mean0 += y[i] / m;
      mean1 += y[m + i] / m;
    }
    double[] s0 = new double[m];
    for (int i = 0; i < m; i++) {
      s0[i] = y[i] - mean0;
    }
    double scale = 0;
    for (double v : y) {
      scale = Math.max(scale, Math.abs(v));
    }
    scale = scale == 0 ? 1.0 : scale;
    final double sc = scale;
    // x = [logit alpha, logit beta, logit gamma, logit (phi), l0/sc, b0/sc, s0[0..m-2]/sc]; s0[m-1] keeps the sum at 0.
    int d = 4 + 2 + (m - 1);
    double[] x0 = new double[d];
    x0[0] = logit(0.3);
    x0[1] = logit(0.05);
    x0[2] = logit(0.1);
    x0[3] = logit((0.95 - PHI_MIN) / (PHI_MAX - PHI_MIN));
    x0[4] = mean0 / sc;
    x0[5] = (mean1 - mean0) / m / sc;
    double sMean = 0;
    for (double v : s0) {
      sMean += v / m;
    }
    for (int i = 0; i < m - 1; i++) {
      x0[6 + i] = (s0[i] - sMean) / sc;
    }
    double[] step = new double[d];
    Arrays.fill(step, 0.05);
    step[0] = step[1] = step[2] = step[3] = 1.0;
    java.util.function.ToDoubleFunction<double[]> sse = x -> decode(x, sc, m).sse(y);
    double[] best = x0;
    // Restarts from the last optimum: Nelder-Mead stalls in 13 dimensions otherwise.
    for (int round = 0; round < 3; round++) {
      best = NelderMead.minimize(sse, best, step, 3000, 1e-10);
    }
    return decode(best, sc, m);
  }

  private static EtsModel decode(double[] x, double sc, int m) {
    double[] s = new double[m];
    double sum = 0;
    for (int i = 0; i < m - 1; i++) {
      s[i] = x[6 + i] * sc;
      sum += s[i];
    }
    s[m - 1] = -sum;
    return new EtsModel(sigmoid(x[0]), sigmoid(x[1]), sigmoid(x[2]), PHI_MIN + (PHI_MAX - PHI_MIN) * sigmoid(x[3]),
        x[4] * sc, x[5] * sc, s);
  }

  private static double sigmoid(double v) {
    return 1.0 / (1.0 + Math.exp(-v));
  }

  private static double logit(double p) {
    return Math.log(p / (1 - p));
  }

  /** One-step-ahead squared error over {@code y}. */
  double sse(double[] y) {
    State st = filter(y);
    return st.sse;
  }

  private record State(double level, double trend, double[] seasons, int n, double sse) {}

  private State filter(double[] y) {
    int m = period();
    double[] s = new double[y.length + m];
    System.arraycopy(season0, 0, s, 0, m);
    double l = level0;
    double b = trend0;
    double sse = 0;
    for (int t = 0; t < y.length; t++) {
      double yhat = l + phi * b + s[t];
      double e = y[t] - yhat;
      sse += e * e;
      double lNew = alpha * (y[t] - s[t]) + (1 - alpha) * (l + phi * b);
      double bNew = beta * (lNew - l) + (1 - beta) * phi * b;
      s[t + m] = gamma * (y[t] - l - phi * b) + (1 - gamma) * s[t];
      l = lNew;
      b = bNew;
    }
    return new State(l, b, s, y.length, sse);
  }

  /** Filters {@code y} from the stored initial states, then forecasts {@code horizon} days after it. */
  public double[] forecast(double[] y, int horizon) {
    State st = filter(y);
    int m = period();
    double[] out = new double[horizon];
    double damp = 0;
    double pk = 1;
    for (int h = 1; h <= horizon; h++) {
      pk *= phi;
      damp += pk;
      out[h - 1] = st.level + damp * st.trend + st.seasons[st.n + ((h - 1) % m)];
    }
    return out;
  }

  // Arrays of a record are compared by identity otherwise; the bundle round trip test compares values.
  @Override
  public boolean equals(Object o) {
    return o instanceof EtsModel e && alpha == e.alpha && beta == e.beta && gamma == e.gamma && phi == e.phi
        && level0 == e.level0 && trend0 == e.trend0 && Arrays.equals(season0, e.season0);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(alpha, beta, gamma, phi, level0, trend0, Arrays.hashCode(season0));
  }
}
