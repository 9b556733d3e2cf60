package dev.almanac.server.monitoring;

import dev.almanac.ml.bundle.InputProfile;
import dev.almanac.ml.data.Names;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Input drift of a symptom classifier: how often each symptom appears in requests, compared with
 * how often it appeared in the training rows ({@link InputProfile}), as the population stability
 * index (PSI) of each symptom's present/absent split. Requests are counted in tumbling windows of
 * {@code window} requests; a finished window becomes the {@link Snapshot} the gauges read, so a
 * handful of requests never raises an alert.
 *
 * <p>PSI of one binary feature with training frequency p and request frequency q: {@code (q - p)
 * ln(q / p) + (p - q) ln((1 - q) / (1 - p))}, both clamped to [{@link #EPSILON}, 1 - EPSILON] so a
 * symptom never seen on one side gives a large but finite value. Rule of thumb: below 0.1 stable,
 * 0.1-0.25 a shift worth a look, above 0.25 a significant shift.
 */
public final class InputDriftMonitor {
  public static final double EPSILON = 1e-4;

  private final List<String> features = new ArrayList<>();
  private final double[] expected;
  private final int[] featureOfColumn; // -1: a column the profile does not know
  private final int window;
  private final long[] counts;
  private int requests;
  private long windows;
  private volatile Snapshot last;

  /**
   * A finished window.
   *
   * @param psi per feature, in {@link #features()} order
   */
  public record Snapshot(int requests, double[] psi, double max, double mean, String worst) {}

  /**
   * @param symptomColumns the bundle's feature columns, in input order (duplicates allowed)
   * @param window requests per window
   */
  public InputDriftMonitor(List<String> symptomColumns, InputProfile profile, int window) {
    if (window < 1) {
      throw new IllegalArgumentException("drift window must be >= 1 request, got " + window);
    }
    this.window = window;
    Map<String, Integer> featureByKey = new HashMap<>();
    List<Double> freq = new ArrayList<>();
    profile
        .symptomFrequencies()
        .forEach(
            (name, p) -> {
              featureByKey.put(Names.key(name), features.size());
              features.add(name);
              freq.add(p);
            });
    this.expected = freq.stream().mapToDouble(Double::doubleValue).toArray();
    this.featureOfColumn = new int[symptomColumns.size()];
    for (int c = 0; c < featureOfColumn.length; c++) {
      featureOfColumn[c] = featureByKey.getOrDefault(Names.key(symptomColumns.get(c)), -1);
    }
    this.counts = new long[features.size()];
  }

  public List<String> features() {
    return List.copyOf(features);
  }

  /** Counts {@code rows} encoded requests of {@code width} 0/1 columns each (a model batch). */
  public void observe(float[] x, int rows, int width) {
    boolean[] seen = new boolean[counts.length];
    synchronized (this) {
      for (int r = 0; r < rows; r++) {
        java.util.Arrays.fill(seen, false);
        int offset = r * width;
        for (int c = 0; c < width; c++) {
          int f = featureOfColumn[c];
          if (f >= 0 && x[offset + c] != 0 && !seen[f]) {
            seen[f] = true;
            counts[f]++;
          }
        }
        if (++requests == window) {
          last = snapshot();
          windows++;
          requests = 0;
          java.util.Arrays.fill(counts, 0);
        }
      }
    }
  }

  /** The last finished window; empty until {@code window} requests were seen. */
  public Optional<Snapshot> last() {
    return Optional.ofNullable(last);
  }

  public synchronized long windows() {
    return windows;
  }

  private Snapshot snapshot() {
    double[] psi = new double[counts.length];
    double max = 0;
    double sum = 0;
    String worst = null;
    for (int f = 0; f < counts.length; f++) {
      psi[f] = psi(expected[f], (double) counts[f] / requests);
      sum += psi[f];
      if (worst == null || psi[f] > max) {
        max = psi[f];
        worst = features.get(f);
      }
    }
    return new Snapshot(requests, psi, max, counts.length == 0 ? 0 : sum / counts.length, worst);
  }

  /** PSI of a present/absent split: training frequency {@code p}, observed {@code q}. */
  public static double psi(double p, double q) {
    double e = clamp(p);
    double a = clamp(q);
    return (a - e) * Math.log(a / e) + (e - a) * Math.log((1 - a) / (1 - e));
  }

  private static double clamp(double v) {
    return Math.min(1 - EPSILON, Math.max(EPSILON, v));
  }
}
