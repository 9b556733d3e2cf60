package dev.almanac.ml.features;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;

/**
 * The one feature implementation used for training matrices, the recursive holdout forecast and the
 * model server. The row for day t uses only the values before t (history[0..t)) and t's date:
 *
 * <ul>
 *   <li>calendar: {@code dow} (Mon=0), {@code week} (ISO), {@code month}, {@code is_weekend}
 *   <li>{@code lag_k} = y[t-k]
 *   <li>{@code roll_mean_w}, {@code roll_std_w} over y[t-w .. t-1], std with ddof=1
 *   <li>{@code diff_1} = y[t-1]-y[t-2]; {@code pct_change_1} = diff_1 / y[t-2] when y[t-2] > 0,
 *       else 0
 * </ul>
 *
 * then {@code extraNames} (e.g. a global model's one-hot series id), supplied by the caller per
 * row.
 */
public final class FeaturePipeline {
  private final FeatureSpec spec;
  private final int[] lags;
  private final int[] windows;
  private final List<String> names;
  private final int baseWidth;
  private final int extraWidth;
  private final int minHistory;

  public FeaturePipeline(FeatureSpec spec) {
    this(spec, List.of());
  }

  public FeaturePipeline(FeatureSpec spec, List<String> extraNames) {
    this.spec = spec;
    this.lags = spec.lags().stream().mapToInt(Integer::intValue).toArray();
    this.windows = spec.rollingWindows().stream().mapToInt(Integer::intValue).toArray();
    List<String> n = new ArrayList<>();
    if (spec.calendar()) {
      n.addAll(List.of("dow", "week", "month", "is_weekend"));
    }
    for (int k : lags) {
      n.add("lag_" + k);
    }
    for (int w : windows) {
      n.add("roll_mean_" + w);
      n.add("roll_std_" + w);
    }
    if (spec.differences()) {
      n.add("diff_1");
      n.add("pct_change_1");
    }
    this.baseWidth = n.size();
    n.addAll(extraNames);
    this.extraWidth = extraNames.size();
    this.names = List.copyOf(n);
    int m = spec.differences() ? 2 : 1;
    for (int k : lags) {
      m = Math.max(m, k);
    }
    for (int w : windows) {
      m = Math.max(m, w);
    }
    this.minHistory = m;
  }

  public FeatureSpec spec() {
    return spec;
  }

  /** Stable, ordered feature names; recorded in the model bundle. */
  public List<String> names() {
    return names;
  }

  public int width() {
    return names.size();
  }

  public int extraWidth() {
    return extraWidth;
  }

  /**
   * Values needed before the first row can be computed (the first training row is at this index).
   */
  public int minHistory() {
    return minHistory;
  }

  /**
   * Features of the day after {@code history[len-1]}, which falls on {@code date}.
   *
   * @param extra the caller's extra columns (length {@link #extraWidth()}), may be null when there
   *     are none
   */
  public void row(double[] history, int len, LocalDate date, double[] extra, double[] out) {
    if (len < minHistory) {
      throw new IllegalArgumentException("need " + minHistory + " days of history, got " + len);
    }
    int c = 0;
    if (spec.calendar()) {
      DayOfWeek d = date.getDayOfWeek();
      int dow = d.getValue() - 1;
      out[c++] = dow;
      out[c++] = date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
      out[c++] = date.getMonthValue();
      out[c++] = dow >= 5 ? 1 : 0;
    }
    for (int k : lags) {
      out[c++] = history[len - k];
    }
    for (int w : windows) {
      double sum = 0;
      for (int i = len - w; i < len; i++) {
        sum += history[i];
      }
      double mean = sum / w;
      double ss = 0;
      for (int i = len - w; i < len; i++) {
        double d = history[i] - mean;
        ss += d * d;
      }
      out[c++] = mean;
      out[c++] = Math.sqrt(ss / (w - 1));
    }
    if (spec.differences()) {
      double p1 = history[len - 1];
      double p2 = history[len - 2];
      out[c++] = p1 - p2;
      out[c++] = p2 > 0 ? (p1 - p2) / p2 : 0.0;
    }
    if (extraWidth > 0) {
      System.arraycopy(extra, 0, out, c, extraWidth);
    }
  }

  public double[] row(double[] history, int len, LocalDate date, double[] extra) {
    double[] out = new double[width()];
    row(history, len, date, extra, out);
    return out;
  }

  /** Training rows t = minHistory .. values.length-1 of a series starting on {@code start}. */
  public FeatureMatrix matrix(double[] values, LocalDate start, double[] extra) {
    int rows = Math.max(0, values.length - minHistory);
    double[][] x = new double[rows][];
    double[] y = new double[rows];
    for (int r = 0; r < rows; r++) {
      int t = minHistory + r;
      x[r] = row(values, t, start.plusDays(t), extra);
      y[r] = values[t];
    }
    return new FeatureMatrix(x, y, minHistory);
  }
}
