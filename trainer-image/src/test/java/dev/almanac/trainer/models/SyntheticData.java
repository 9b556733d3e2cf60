package dev.almanac.trainer.models;

import java.util.Random;

/**
 * Small deterministic data sets. Features are float32-representable (multiples of 1/1024), so the
 * double values the natives see and the float values ONNX Runtime sees are the same numbers.
 */
final class SyntheticData {
  record Regression(double[][] x, double[] y) {}

  record Classification(double[][] x, int[] y, int nClasses) {}

  private SyntheticData() {}

  static double q(double v) {
    return Math.round(v * 1024) / 1024.0;
  }

  /** y = 10·sin(x0) + x1² / 4 + 3·[x2 &gt; 0] + noise, x in [-4, 4]^f. */
  static Regression nonlinear(int n, int f, long seed) {
    Random r = new Random(seed);
    double[][] x = new double[n][f];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < f; j++) {
        x[i][j] = q(r.nextDouble() * 8 - 4);
      }
      y[i] =
          10 * Math.sin(x[i][0])
              + x[i][1] * x[i][1] / 4
              + (x[i][2] > 0 ? 3 : 0)
              + 0.1 * r.nextGaussian();
    }
    return new Regression(x, y);
  }

  /** Gaussian blobs around well separated centres, one per class. */
  static Classification blobs(int n, int f, int nClasses, long seed) {
    Random r = new Random(seed);
    double[][] centres = new double[nClasses][f];
    for (int c = 0; c < nClasses; c++) {
      for (int j = 0; j < f; j++) {
        centres[c][j] = r.nextDouble() * 20 - 10;
      }
    }
    double[][] x = new double[n][f];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      int c = i % nClasses;
      y[i] = c;
      for (int j = 0; j < f; j++) {
        x[i][j] = q(centres[c][j] + r.nextGaussian());
      }
    }
    return new Classification(x, y, nClasses);
  }

  static double[][] head(double[][] x, int n) {
    return java.util.Arrays.copyOfRange(x, 0, n);
  }

  static double[][] tail(double[][] x, int from) {
    return java.util.Arrays.copyOfRange(x, from, x.length);
  }
}
