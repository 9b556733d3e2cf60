package dev.almanac.ml.intervals;

import java.util.Arrays;

/**
 * Prediction intervals of one series in the bundle: for each nominal level (0.8, 0.95) a half-width
 * per horizon step, in case units. The interval at step d is {@code [max(0, f_d - w_d), f_d + w_d]}
 * around the point forecast f_d. Steps beyond the stored ones reuse the last width.
 *
 * @param method how the widths were made ({@link ConformalCalibration#METHOD}); a reader that does
 *     not know the method serves point forecasts only
 * @param levels nominal coverage levels, ascending
 * @param halfWidth {@code halfWidth[level][step]}, non-negative, non-decreasing across levels
 */
public record IntervalBands(String method, double[] levels, double[][] halfWidth) {
  public IntervalBands {
    levels = levels.clone();
    halfWidth = Arrays.stream(halfWidth).map(double[]::clone).toArray(double[][]::new);
    if (levels.length != halfWidth.length || levels.length == 0) {
      throw new IllegalArgumentException("one half-width row per level is needed");
    }
  }

  /** Half-width at {@code level} index and 0-based horizon {@code step}. */
  public double width(int level, int step) {
    double[] w = halfWidth[level];
    return w[Math.min(step, w.length - 1)];
  }

  /** Lower bounds of level {@code level} around {@code forecast}, floored at 0. */
  public double[] lower(int level, double[] forecast) {
    double[] out = new double[forecast.length];
    for (int d = 0; d < forecast.length; d++) {
      out[d] = Math.max(0.0, forecast[d] - width(level, d));
    }
    return out;
  }

  /** Upper bounds of level {@code level} around {@code forecast}. */
  public double[] upper(int level, double[] forecast) {
    double[] out = new double[forecast.length];
    for (int d = 0; d < forecast.length; d++) {
      out[d] = forecast[d] + width(level, d);
    }
    return out;
  }

  /** Index of {@code level} (e.g. 0.95), or -1. */
  public int indexOf(double level) {
    for (int i = 0; i < levels.length; i++) {
      if (Math.abs(levels[i] - level) < 1e-9) {
        return i;
      }
    }
    return -1;
  }

  /** Scalar percent label of a level: 0.8 → "80". */
  public static String label(double level) {
    return Long.toString(Math.round(level * 100));
  }
}
