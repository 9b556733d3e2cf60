package dev.almanac.trainer.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Bagging shared by the forest regressor and classifier: one bootstrap sample and one random stream
 * per tree, derived from (seed, tree index) only, so the forest is identical for any thread count.
 */
final class RandomForestGrower {
  record Settings(int nEstimators, boolean bootstrap, CartTreeGrower.Settings tree) {}

  private RandomForestGrower() {}

  /**
   * Grows the forest on the checked rows {@code x} with the run's seed and threads; {@code
   * growerPerTree} makes one tree's grower from the feature columns and the tree settings.
   */
  static List<CartTree> grow(
      double[][] x,
      Settings settings,
      FitOptions o,
      BiFunction<float[][], CartTreeGrower.Settings, CartTreeGrower> growerPerTree) {
    float[][] cols = columns(x);
    return grow(
        cols,
        x.length,
        settings,
        o.seed(),
        o.threads(),
        () -> growerPerTree.apply(cols, settings.tree()));
  }

  private static List<CartTree> grow(
      float[][] cols,
      int nRows,
      Settings settings,
      long seed,
      int threads,
      Supplier<CartTreeGrower> growerPerTree) {
    int[][] presorted = presort(cols, nRows);
    int n = settings.nEstimators();
    List<CartTree> trees = new ArrayList<>(n);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(threads, n)),
            r -> {
              Thread t = new Thread(r, "forest-grower");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<CartTree>> futures = new ArrayList<>(n);
      for (int t = 0; t < n; t++) {
        SplittableRandom rnd =
            new SplittableRandom(seed * 0x9E3779B97F4A7C15L + t * 0xBF58476D1CE4E5B9L + t);
        futures.add(
            pool.submit(
                () -> {
                  double[] counts = new double[nRows];
                  if (settings.bootstrap()) {
                    for (int i = 0; i < nRows; i++) {
                      counts[rnd.nextInt(nRows)] += 1.0;
                    }
                  } else {
                    Arrays.fill(counts, 1.0);
                  }
                  return growerPerTree.get().grow(presorted, counts, rnd);
                }));
      }
      for (Future<CartTree> f : futures) {
        trees.add(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("random forest training interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "random forest training failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return trees;
  }

  private static float[][] columns(double[][] x) {
    int f = x[0].length;
    float[][] cols = new float[f][x.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < f; j++) {
        cols[j][i] = (float) x[i][j];
      }
    }
    return cols;
  }

  /** Row indices of every feature in ascending float order (ties by row). */
  private static int[][] presort(float[][] cols, int nRows) {
    int[][] out = new int[cols.length][nRows];
    long[] keys = new long[nRows];
    for (int f = 0; f < cols.length; f++) {
      for (int i = 0; i < nRows; i++) {
        int bits = Float.floatToIntBits(cols[f][i]);
        bits ^= (bits >> 31) & 0x7fffffff; // order-preserving as signed int
        keys[i] = ((long) bits << 32) | i;
      }
      Arrays.sort(keys);
      for (int i = 0; i < nRows; i++) {
        out[f][i] = (int) keys[i];
      }
    }
    return out;
  }

  /**
   * scikit-learn's max_features: "sqrt", "log2", "all", a fraction in (0,1] with a dot, or a count.
   */
  static int maxFeatures(String spec, int nFeatures, String model) {
    String s = spec.trim().toLowerCase();
    int k;
    switch (s) {
      case "sqrt" -> k = (int) Math.sqrt(nFeatures);
      case "log2" -> k = (int) (Math.log(nFeatures) / Math.log(2));
      case "all", "none" -> k = nFeatures;
      default -> {
        try {
          if (s.contains(".")) {
            double frac = Double.parseDouble(s);
            if (!(frac > 0 && frac <= 1)) {
              throw new NumberFormatException();
            }
            k = (int) (frac * nFeatures);
          } else {
            k = Integer.parseInt(s);
            if (k < 1) {
              throw new NumberFormatException();
            }
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "parameter 'max_features' of model "
                  + model
                  + " must be sqrt, log2, all, a fraction in (0, 1] or a positive count, got '"
                  + spec
                  + "'");
        }
      }
    }
    return Math.max(1, Math.min(nFeatures, k));
  }

  static Settings settings(ModelParams p, int nFeatures, String defaultMaxFeatures, String model) {
    return new Settings(
        p.integer("n_estimators", 100, 1),
        p.flag("bootstrap", true),
        new CartTreeGrower.Settings(
            maxFeatures(p.string("max_features", defaultMaxFeatures), nFeatures, model),
            p.integer("max_depth", 0, 0),
            p.integer("min_samples_split", 2, 2),
            p.integer("min_samples_leaf", 1, 1)));
  }

  static final java.util.Set<String> PARAMS =
      java.util.Set.of(
          "n_estimators",
          "bootstrap",
          "max_features",
          "max_depth",
          "min_samples_split",
          "min_samples_leaf");
}
