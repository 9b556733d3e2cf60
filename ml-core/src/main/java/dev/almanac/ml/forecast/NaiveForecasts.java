package dev.almanac.ml.forecast;

/** The baselines every holdout reports: last value repeated, and the last 7 days tiled. */
public final class NaiveForecasts {
  public static final int SEASON = 7;

  private NaiveForecasts() {}

  public static double[] lastValue(double[] history, int horizon) {
    double[] out = new double[horizon];
    java.util.Arrays.fill(out, history[history.length - 1]);
    return out;
  }

  public static double[] seasonal(double[] history, int horizon) {
    return seasonal(history, horizon, SEASON);
  }

  public static double[] seasonal(double[] history, int horizon, int period) {
    double[] out = new double[horizon];
    int base = history.length - period;
    for (int h = 0; h < horizon; h++) {
      out[h] = history[base + (h % period)];
    }
    return out;
  }
}
