package dev.almanac.ml.clean;

import java.util.Arrays;

/**
 * Upper Hampel winsorisation of data-dump spikes, the anchor's rule: for every t the window is
 * x[t-7 .. t+7] (truncated at the array ends), m = median, mad = median(|window - m|); when mad > 0
 * and x[t] > m + 5 * 1.4826 * mad, x[t] becomes that threshold. Statistics come from the unmodified
 * input. Callers apply it to a training segment only, so no holdout value influences it.
 */
public final class HampelWinsorizer {
  public static final int HALF_WINDOW = 7;
  public static final double K = 5.0;
  private static final double MAD_TO_SIGMA = 1.4826;

  private HampelWinsorizer() {}

  public record Result(double[] values, int clipped) {}

  public static Result winsorizeUpper(double[] x) {
    return winsorizeUpper(x, HALF_WINDOW, K);
  }

  public static Result winsorizeUpper(double[] x, int half, double k) {
    int n = x.length;
    double[] out = x.clone();
    double[] win = new double[2 * half + 1];
    double[] dev = new double[2 * half + 1];
    int clipped = 0;
    for (int t = 0; t < n; t++) {
      int lo = Math.max(0, t - half);
      int hi = Math.min(n - 1, t + half);
      int len = hi - lo + 1;
      System.arraycopy(x, lo, win, 0, len);
      double med = median(win, len);
      for (int i = 0; i < len; i++) {
        dev[i] = Math.abs(x[lo + i] - med);
      }
      double mad = median(dev, len);
      double thr = med + k * MAD_TO_SIGMA * mad;
      if (mad > 0 && x[t] > thr) {
        out[t] = thr;
        clipped++;
      }
    }
    return new Result(out, clipped);
  }

  /** Median of a[0..len) like numpy (mean of the two middle values for an even length); sorts a. */
  static double median(double[] a, int len) {
    Arrays.sort(a, 0, len);
    int mid = len / 2;
    return (len % 2 == 1) ? a[mid] : (a[mid - 1] + a[mid]) / 2.0;
  }
}
