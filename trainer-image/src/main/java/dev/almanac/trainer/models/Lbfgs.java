package dev.almanac.trainer.models;

/** Limited-memory BFGS with a backtracking Armijo line search, for smooth convex objectives. */
final class Lbfgs {
  /** Writes the gradient at {@code w} into {@code grad} and returns the objective value. */
  interface Objective {
    double evaluate(double[] w, double[] grad);
  }

  record Result(double[] w, double value, int iterations, boolean converged) {}

  private static final int MEMORY = 10;

  private Lbfgs() {}

  /** Stops when max |gradient| ≤ gtol (scipy's L-BFGS-B criterion) or after maxIter iterations. */
  static Result minimize(Objective fn, double[] w0, int maxIter, double gtol) {
    int d = w0.length;
    double[] w = w0.clone();
    double[] g = new double[d];
    double f = fn.evaluate(w, g);
    double[][] s = new double[MEMORY][];
    double[][] yv = new double[MEMORY][];
    double[] rho = new double[MEMORY];
    int stored = 0;
    int head = 0;
    double[] wNew = new double[d];
    double[] gNew = new double[d];
    for (int iter = 0; iter < maxIter; iter++) {
      if (maxAbs(g) <= gtol) {
        return new Result(w, f, iter, true);
      }
      // two-loop recursion: direction = -H·g
      double[] q = g.clone();
      double[] alpha = new double[MEMORY];
      for (int k = 0; k < stored; k++) {
        int i = Math.floorMod(head - 1 - k, MEMORY);
        alpha[i] = rho[i] * dot(s[i], q);
        axpy(-alpha[i], yv[i], q);
      }
      if (stored > 0) {
        int last = Math.floorMod(head - 1, MEMORY);
        double gamma = dot(s[last], yv[last]) / dot(yv[last], yv[last]);
        scale(q, gamma);
      } else {
        scale(q, 1.0 / Math.max(1.0, Math.sqrt(dot(g, g))));
      }
      for (int k = stored - 1; k >= 0; k--) {
        int i = Math.floorMod(head - 1 - k, MEMORY);
        double beta = rho[i] * dot(yv[i], q);
        axpy(alpha[i] - beta, s[i], q);
      }
      double slope = -dot(g, q);
      if (slope >= 0) { // not a descent direction: restart from steepest descent
        stored = 0;
        q = g.clone();
        scale(q, 1.0 / Math.max(1.0, Math.sqrt(dot(g, g))));
        slope = -dot(g, q);
      }
      double step = 1.0;
      double fNew = Double.NaN;
      boolean accepted = false;
      for (int ls = 0; ls < 40; ls++) {
        for (int j = 0; j < d; j++) {
          wNew[j] = w[j] - step * q[j];
        }
        fNew = fn.evaluate(wNew, gNew);
        if (fNew <= f + 1e-4 * step * slope) {
          accepted = true;
          break;
        }
        step *= 0.5;
      }
      if (!accepted) {
        return new Result(w, f, iter, false);
      }
      double[] sk = new double[d];
      double[] yk = new double[d];
      for (int j = 0; j < d; j++) {
        sk[j] = wNew[j] - w[j];
        yk[j] = gNew[j] - g[j];
      }
      double sy = dot(sk, yk);
      if (sy > 1e-12) {
        s[head] = sk;
        yv[head] = yk;
        rho[head] = 1.0 / sy;
        head = (head + 1) % MEMORY;
        stored = Math.min(stored + 1, MEMORY);
      }
      System.arraycopy(wNew, 0, w, 0, d);
      System.arraycopy(gNew, 0, g, 0, d);
      f = fNew;
    }
    return new Result(w, f, maxIter, maxAbs(g) <= gtol);
  }

  private static double dot(double[] a, double[] b) {
    double r = 0;
    for (int i = 0; i < a.length; i++) {
      r += a[i] * b[i];
    }
    return r;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += a * x[i];
    }
  }

  private static void scale(double[] x, double a) {
    for (int i = 0; i < x.length; i++) {
      x[i] *= a;
    }
  }

  private static double maxAbs(double[] x) {
    double m = 0;
    for (double v : x) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
