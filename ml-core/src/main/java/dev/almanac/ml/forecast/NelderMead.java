package dev.almanac.ml.forecast;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;

/** Plain Nelder–Mead simplex minimiser (commons-math is not available offline here; ETS needs only this). */
final class NelderMead {
  private NelderMead() {}

  static double[] minimize(ToDoubleFunction<double[]> f, double[] x0, double[] step, int maxEvals, double tol) {
    int d = x0.length;
    double[][] p = new double[d + 1][];
    double[] fv = new double[d + 1];
    p[0] = x0.clone();
    fv[0] = f.applyAsDouble(p[0]);
    for (int i = 0; i < d; i++) {
      p[i + 1] = x0.clone();
      p[i + 1][i] += step[i];
      fv[i + 1] = f.applyAsDouble(p[i + 1]);
    }
    int evals = d + 1;
    Integer[] idx = new Integer[d + 1];
    while (evals < maxEvals) {
      for (int i = 0; i <= d; i++) {
        idx[i] = i;
      }
      final double[] fvv = fv;
      Arrays.sort(idx, (a, b) -> Double.compare(fvv[a], fvv[b]));
      double[][] ps = new double[d + 1][];
      double[] fs = new double[d + 1];
      for (int i = 0; i <= d; i++) {
        ps[i] = p[idx[i]];
        fs[i] = fv[idx[i]];
      }
      p = ps;
      fv = fs;
      if (Math.abs(fv[d] - fv[0]) <= tol * (Math.abs(fv[0]) + 1e-12)) {
        break;
      }
      double[] c = new double[d];
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          c[j] += p[i][j] / d;
        }
      }
      double[] xr = lerp(c, p[d], -1.0);
      double fr = f.applyAsDouble(xr);
      evals++;
      if (fr < fv[0]) {
        double[] xe = lerp(c, p[d], -2.0);
        double fe = f.applyAsDouble(xe);
        evals++;
        if (fe < fr) {
          p[d] = xe;
          fv[d] = fe;
        } else {
          p[d] = xr;
          fv[d] = fr;
        }
      } else if (fr < fv[d - 1]) {
        p[d] = xr;
        fv[d] = fr;
      } else {
        boolean outside = fr < fv[d];
        double[] xc = outside ? lerp(c, p[d], -0.5) : lerp(c, p[d], 0.5);
        double fc = f.applyAsDouble(xc);
        evals++;
        if (fc < Math.min(fr, fv[d])) {
          p[d] = xc;
          fv[d] = fc;
        } else {
          for (int i = 1; i <= d; i++) {
            p[i] = lerp(p[0], p[i], 0.5);
            fv[i] = f.applyAsDouble(p[i]);
            evals++;
          }
        }
      }
    }
    int best = 0;
    for (int i = 1; i <= d; i++) {
      if (fv[i] < fv[best]) {
        best = i;
      }
    }
    return p[best];
  }

  /** c + t * (x - c). */
  private static double[] lerp(double[] c, double[] x, double t) {
    double[] out = new double[c.length];
    for (int i = 0; i < c.length; i++) {
      out[i] = c[i] + t * (x[i] - c[i]);
    }
    return out;
  }
}
