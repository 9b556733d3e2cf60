package dev.almanac.trainer.pipeline;

import dev.almanac.api.v1alpha1.pipeline.EnsembleMethod;
import java.util.Arrays;
import java.util.List;

/**
 * Chooses the promoted combination of members from rolling-origin backtests (never the holdout).
 * Errors are scaled per series (MAE / MASE scale at the origin, i.e. the MASE the run is judged
 * by), so every series counts alike instead of the largest country deciding.
 *
 * <ul>
 *   <li>{@code InverseError}: every non-empty subset of the members, each weighted by the inverse
 *       of its mean backtest error; the subset whose weighted forecast has the lowest mean scaled
 *       error over all origins and series is promoted. A single member is a subset, so a member
 *       that beats every blend is promoted alone.
 *   <li>{@code Mean}: equal weights over all members.
 *   <li>{@code None}: the member with the lowest mean scaled error.
 * </ul>
 *
 * Subsets are scored on the weighted sum of the members' own backtest paths (cheap: no refit); the
 * promoted ensemble's true recursive forecast is what the run then reports.
 */
final class BacktestSelection {
  /** More members than this: only singletons and the full set are compared (2^n subsets). */
  static final int MAX_SUBSET_MEMBERS = 10;

  private BacktestSelection() {}

  static double[] choose(
      EnsembleMethod method, List<ModelChoice> members, List<Backtest> backtests) {
    int n = members.size();
    List<String> names = members.stream().map(ModelChoice::name).toList();
    double[] err = new double[n];
    for (int k = 0; k < n; k++) {
      String name = names.get(k);
      err[k] = backtests.stream().mapToDouble(b -> b.scaledError(name)).average().orElseThrow();
    }
    double[] w = new double[n];
    switch (method) {
      case Mean -> Arrays.fill(w, 1.0 / n);
      case None -> w[argmin(err)] = 1.0;
      case InverseError -> {
        double best = Double.POSITIVE_INFINITY;
        for (int mask = 1; mask < (1 << n); mask++) {
          if (n > MAX_SUBSET_MEMBERS && Integer.bitCount(mask) != 1 && mask != (1 << n) - 1) {
            continue;
          }
          double[] cand = inverseError(err, mask);
          double score =
              backtests.stream()
                  .mapToDouble(b -> b.scaledError(names, cand))
                  .average()
                  .orElseThrow();
          // ties keep the earlier (smaller) subset
          if (score < best - 1e-12) {
            best = score;
            w = cand;
          }
        }
      }
    }
    return w;
  }

  /** Weights ∝ 1 / error over the members in {@code mask}, 0 elsewhere, summing to 1. */
  static double[] inverseError(double[] err, int mask) {
    double[] w = new double[err.length];
    double tot = 0;
    for (int k = 0; k < err.length; k++) {
      if ((mask & (1 << k)) != 0) {
        w[k] = 1.0 / Math.max(err[k], 1e-9);
        tot += w[k];
      }
    }
    for (int k = 0; k < w.length; k++) {
      w[k] /= tot;
    }
    return w;
  }

  private static int argmin(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] < v[best]) {
        best = i;
      }
    }
    return best;
  }
}
