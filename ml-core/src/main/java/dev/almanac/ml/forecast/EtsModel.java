package dev.almanac.ml.forecast;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Arrays;
import java.util.Locale;

/**
 * Holt–Winters exponential smoothing with a damped additive trend and a weekly season that is
 * either additive (the anchor's statsmodels {@code ExponentialSmoothing(trend="add",
 * damped_trend=True, seasonal="add")}) or multiplicative ({@code seasonal="mul"}, fitted on y + 1
 * so that zero days are allowed). Parameters and initial states are estimated together by least
 * squares ({@link #fit}); the record is what the model bundle stores, so a server re-filters a
 * history with the same parameters. {@code seasonal} is null (= additive) in bundles written before
 * the multiplicative form existed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EtsModel(
    double alpha,
    double beta,
    double gamma,
    double phi,
    double level0,
    double trend0,
    double[] season0,
    String seasonal) {
  public static final String ADDITIVE = "additive";
  public static final String MULTIPLICATIVE = "multiplicative";

  /**
   * The multiplicative form works on y + SHIFT: case counts have zero days, a ratio season needs y
   * > 0.
   */
  static final double SHIFT = 1.0;

  private static final double PHI_MIN = 0.8;
  private static final double PHI_MAX = 0.995;
  private static final int RESTARTS = 3;
  private static final int MAX_EVALUATIONS = 3000;
  private static final double REL_TOLERANCE = 1e-10;

  @JsonIgnore
  public int period() {
    return season0.length;
  }

  @JsonIgnore
  public boolean multiplicative() {
    return MULTIPLICATIVE.equals(seasonal);
  }

  /**
   * The season form named by a spec parameter: {@code additive}/{@code add} (null or blank too) or
   * {@code multiplicative}/{@code mul}.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static String seasonalForm(String param) {
    if (param == null || param.isBlank()) {
      return ADDITIVE;
    }
    return switch (param.trim().toLowerCase(Locale.ROOT)) {
      case "additive", "add" -> ADDITIVE;
      case "multiplicative", "mul" -> MULTIPLICATIVE;
      default ->
          throw new IllegalArgumentException(
              "seasonal must be additive or multiplicative, got '" + param + "'");
    };
  }

  /**
   * Fits an additive-season model on {@code y} (at least two seasons long) with weekly seasonality.
   */
  public static EtsModel fit(double[] y) {
    return fit(y, NaiveForecasts.SEASON);
  }

  public static EtsModel fit(double[] y, int m) {
    return fit(y, m, ADDITIVE);
  }

  /**
   * Fits with weekly seasonality of the given form ({@link #ADDITIVE} or {@link #MULTIPLICATIVE}).
   */
  public static EtsModel fit(double[] y, String form) {
    return fit(y, NaiveForecasts.SEASON, form);
  }

  public static EtsModel fit(double[] yIn, int m, String form) {
    if (yIn.length < 2 * m + 2) {
      throw new IllegalArgumentException(
          "ETS needs at least " + (2 * m + 2) + " values, got " + yIn.length);
    }
    boolean mul = MULTIPLICATIVE.equals(seasonalForm(form));
    double[] y = mul ? shifted(yIn) : yIn;
    double mean0 = 0;
    double mean1 = 0;
    for (int i = 0; i < m; i++) {
      mean0 += y[i] / m;
      mean1 += y[m + i] / m;
    }
    double[] s0 = new double[m];
    for (int i = 0; i < m; i++) {
      s0[i] = mul ? y[i] / mean0 : y[i] - mean0;
    }
    double scale = 0;
    for (double v : y) {
      scale = Math.max(scale, Math.abs(v));
    }
    scale = scale == 0 ? 1.0 : scale;
    final double sc = scale;
    // Additive: x = [logit alpha, logit beta, logit gamma, logit (phi), l0/sc, b0/sc,
    // s0[0..m-2]/sc]; s0[m-1] keeps
    // the sum at 0. Multiplicative: the seasons are s0[i] - 1 (unscaled, they are ratios) and the
    // mean stays 1.
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
      x0[6 + i] = mul ? s0[i] / sMean - 1 : (s0[i] - sMean) / sc;
    }
    double[] step = new double[d];
    Arrays.fill(step, 0.05);
    step[0] = step[1] = step[2] = step[3] = 1.0;
    String f = mul ? MULTIPLICATIVE : null;
    double[] best = x0;
    // Restarts from the last optimum: Nelder-Mead stalls in 13 dimensions otherwise.
    for (int round = 0; round < RESTARTS; round++) {
      best =
          SimplexSearch.minimize(
              x -> decode(x, sc, m, f).filter(y).sse, best, step, MAX_EVALUATIONS, REL_TOLERANCE);
    }
    return decode(best, sc, m, f);
  }

  private static double[] shifted(double[] y) {
    double[] out = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      out[i] = y[i] + SHIFT;
    }
    return out;
  }

  private static EtsModel decode(double[] x, double sc, int m, String form) {
    boolean mul = MULTIPLICATIVE.equals(form);
    double[] s = new double[m];
    double sum = 0;
    for (int i = 0; i < m - 1; i++) {
      s[i] = mul ? 1 + x[6 + i] : x[6 + i] * sc;
      sum += s[i];
    }
    s[m - 1] = mul ? m - sum : -sum;
    return new EtsModel(
        sigmoid(x[0]),
        sigmoid(x[1]),
        sigmoid(x[2]),
        PHI_MIN + (PHI_MAX - PHI_MIN) * sigmoid(x[3]),
        x[4] * sc,
        x[5] * sc,
        s,
        form);
  }

  private static double sigmoid(double v) {
    return 1.0 / (1.0 + Math.exp(-v));
  }

  private static double logit(double p) {
    return Math.log(p / (1 - p));
  }

  /**
   * One-step-ahead squared error over {@code y} (on the model's own scale: y + 1 when
   * multiplicative).
   */
  double sse(double[] y) {
    return filter(multiplicative() ? shifted(y) : y).sse;
  }

  private record State(double level, double trend, double[] seasons, int n, double sse) {}

  /** Runs the smoothing equations over {@code y}, already on the model's scale. */
  private State filter(double[] y) {
    int m = period();
    boolean mul = multiplicative();
    double[] s = new double[y.length + m];
    System.arraycopy(season0, 0, s, 0, m);
    double l = level0;
    double b = trend0;
    double sse = 0;
    for (int t = 0; t < y.length; t++) {
      double base = l + phi * b;
      double yhat = mul ? base * s[t] : base + s[t];
      double e = y[t] - yhat;
      sse += e * e;
      double lNew;
      if (mul) {
        // A season ratio at (or below) zero would blow the level up: such a fit is rejected by its
        // SSE.
        if (!(s[t] > 1e-9) || !(Math.abs(base) > 1e-9)) {
          return new State(l, b, s, y.length, Double.MAX_VALUE);
        }
        lNew = alpha * (y[t] / s[t]) + (1 - alpha) * base;
        s[t + m] = gamma * (y[t] / base) + (1 - gamma) * s[t];
      } else {
        lNew = alpha * (y[t] - s[t]) + (1 - alpha) * base;
        s[t + m] = gamma * (y[t] - l - phi * b) + (1 - gamma) * s[t];
      }
      b = beta * (lNew - l) + (1 - beta) * phi * b;
      l = lNew;
    }
    return new State(l, b, s, y.length, mul && !Double.isFinite(sse) ? Double.MAX_VALUE : sse);
  }

  /**
   * Filters {@code y} (cases) from the stored initial states, then forecasts {@code horizon} days
   * after it.
   */
  public double[] forecast(double[] y, int horizon) {
    boolean mul = multiplicative();
    State st = filter(mul ? shifted(y) : y);
    int m = period();
    double[] out = new double[horizon];
    double damp = 0;
    double pk = 1;
    for (int h = 1; h <= horizon; h++) {
      pk *= phi;
      damp += pk;
      double base = st.level + damp * st.trend;
      double s = st.seasons[st.n + ((h - 1) % m)];
      out[h - 1] = mul ? base * s - SHIFT : base + s;
    }
    return out;
  }

  // Arrays of a record are compared by identity otherwise; the bundle round trip test compares
  // values.
  @Override
  public boolean equals(Object o) {
    return o instanceof EtsModel e
        && alpha == e.alpha
        && beta == e.beta
        && gamma == e.gamma
        && phi == e.phi
        && level0 == e.level0
        && trend0 == e.trend0
        && Arrays.equals(season0, e.season0)
        && java.util.Objects.equals(seasonal, e.seasonal);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        alpha, beta, gamma, phi, level0, trend0, Arrays.hashCode(season0), seasonal);
  }
}
