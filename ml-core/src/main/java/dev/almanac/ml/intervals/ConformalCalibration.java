package dev.almanac.ml.intervals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Split-conformal interval widths per horizon step from backtest residuals.
 *
 * <p>Input: for every (series, backtest origin) window, the absolute error of the promoted forecast
 * at each step divided by the series' scale at that origin ({@link #scaleOf}: its recent weekly
 * variability). Dividing by the scale pools series of very different size (India's errors are
 * 1,000× Japan's) into one sample, so a step's quantile rests on windows × series residuals rather
 * than on a series' 2-3 windows; the width served for a series is the pooled quantile × that
 * series' own scale at the end of its history. Steps are pooled with their neighbours ({@code
 * radius} steps each side) because error grows smoothly with the step and 30 residuals per step
 * make a noisy 95 % quantile; the result is made non-decreasing in the step.
 *
 * <p>The quantile is the conformal one: the ⌈(n+1)·level⌉-th smallest of n residuals (the largest
 * when that rank exceeds n).
 */
public final class ConformalCalibration {
  /** Method tag stored with the bands. */
  public static final String METHOD = "conformal-backtest-scaled-v1";

  /** The levels Almanac serves. */
  public static final double[] LEVELS = {0.8, 0.95};

  private final double[] levels;
  private final double[][] scaledQuantile;

  private ConformalCalibration(double[] levels, double[][] scaledQuantile) {
    this.levels = levels;
    this.scaledQuantile = scaledQuantile;
  }

  /**
   * @param scaledResiduals one array per window: |actual − forecast| / scale per step (NaN for a
   *     step the window lacks)
   * @param steps number of horizon steps to calibrate
   * @param radius neighbouring steps pooled on each side
   */
  public static ConformalCalibration fit(
      List<double[]> scaledResiduals, int steps, int radius, double... levels) {
    if (scaledResiduals.isEmpty()) {
      throw new IllegalArgumentException("no backtest residuals to calibrate intervals from");
    }
    double[] lv = levels.length == 0 ? LEVELS.clone() : levels.clone();
    double[][] q = new double[lv.length][steps];
    for (int d = 0; d < steps; d++) {
      List<Double> pool = new ArrayList<>();
      for (int k = Math.max(0, d - radius); k <= d + radius; k++) {
        for (double[] r : scaledResiduals) {
          if (k < r.length && Double.isFinite(r[k])) {
            pool.add(Math.abs(r[k]));
          }
        }
      }
      double[] sorted = pool.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      for (int l = 0; l < lv.length; l++) {
        q[l][d] = quantile(sorted, lv[l]);
      }
    }
    for (double[] row : q) {
      for (int d = 1; d < steps; d++) {
        row[d] = Math.max(row[d], row[d - 1]);
      }
    }
    for (int l = 1; l < lv.length; l++) {
      for (int d = 0; d < steps; d++) {
        q[l][d] = Math.max(q[l][d], q[l - 1][d]);
      }
    }
    return new ConformalCalibration(lv, q);
  }

  /** The conformal quantile of sorted non-negative scores: rank ⌈(n+1)·level⌉, capped at n. */
  static double quantile(double[] sorted, double level) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil((sorted.length + 1) * level);
    return sorted[Math.min(rank, sorted.length) - 1];
  }

  /** Days of recent history whose weekly differences set a series' interval scale. */
  public static final int SCALE_DAYS = 56;

  /**
   * The scale residuals are divided by and widths multiplied with: mean |y_t − y_{t−7}| over the
   * last {@link #SCALE_DAYS} days (the whole history when shorter), at least 1 case. Recent rather
   * than whole-history variability: a wave makes a series' errors larger now than its average since
   * the start, and the widths should follow.
   */
  public static double scaleOf(double[] history) {
    int from = Math.max(7, history.length - SCALE_DAYS);
    double sum = 0;
    int n = 0;
    for (int t = from; t < history.length; t++) {
      sum += Math.abs(history[t] - history[t - 7]);
      n++;
    }
    return Math.max(1.0, n == 0 ? 0 : sum / n);
  }

  /** Bands of a series with the given scale (case units). */
  public IntervalBands bands(double scale) {
    double[][] w = new double[levels.length][];
    for (int l = 0; l < levels.length; l++) {
      w[l] = Arrays.stream(scaledQuantile[l]).map(x -> x * scale).toArray();
    }
    return new IntervalBands(METHOD, levels, w);
  }

  public double[] levels() {
    return levels.clone();
  }

  /** Scaled quantile of level index {@code l} at step {@code d}. */
  public double scaledQuantile(int l, int d) {
    return scaledQuantile[l][Math.min(d, scaledQuantile[l].length - 1)];
  }

  /**
   * Share of actuals inside the level's interval, over all given (actual, forecast, bands) windows.
   */
  public static double coverage(
      List<double[]> actuals, List<double[]> forecasts, List<IntervalBands> bands, int level) {
    long in = 0;
    long n = 0;
    for (int i = 0; i < actuals.size(); i++) {
      double[] lo = bands.get(i).lower(level, forecasts.get(i));
      double[] hi = bands.get(i).upper(level, forecasts.get(i));
      double[] a = actuals.get(i);
      for (int d = 0; d < a.length; d++) {
        n++;
        if (a[d] >= lo[d] && a[d] <= hi[d]) {
          in++;
        }
      }
    }
    return n == 0 ? Double.NaN : (double) in / n;
  }
}
