package dev.almanac.trainer.models;

/**
 * Ridge / least-squares solution through a one-sided Jacobi SVD of the design matrix (no normal
 * equations, so lagged and rolling features that are nearly collinear keep their precision). With
 * alpha = 0 singular values below a relative cutoff are dropped: the minimum-norm solution, as
 * numpy's lstsq behind scikit-learn's LinearRegression.
 */
final class LeastSquaresSolver {
  private static final int MAX_SWEEPS = 60;
  private static final double EPS = 1e-15;

  private LeastSquaresSolver() {}

  /** argmin ||z·b - y||² + alpha·||b||², z is n×f (not modified). */
  static double[] solve(double[][] z, double[] y, double alpha) {
    int n = z.length;
    int f = z[0].length;
    double[][] cols = new double[f][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < f; j++) {
        cols[j][i] = z[i][j];
      }
    }
    double[][] v = new double[f][f];
    for (int j = 0; j < f; j++) {
      v[j][j] = 1.0;
    }
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      boolean rotated = false;
      for (int p = 0; p < f - 1; p++) {
        for (int q = p + 1; q < f; q++) {
          double a = dot(cols[p], cols[p]);
          double b = dot(cols[q], cols[q]);
          double g = dot(cols[p], cols[q]);
          if (Math.abs(g) <= EPS * Math.sqrt(a * b) || g == 0.0) {
            continue;
          }
          rotated = true;
          double zeta = (b - a) / (2 * g);
          double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
          if (zeta == 0) {
            t = 1.0;
          }
          double c = 1 / Math.sqrt(1 + t * t);
          double s = c * t;
          rotate(cols[p], cols[q], c, s);
          rotate(v[p], v[q], c, s);
        }
      }
      if (!rotated) {
        break;
      }
    }
    double maxSq = 0;
    double[] sq = new double[f];
    for (int j = 0; j < f; j++) {
      sq[j] = dot(cols[j], cols[j]);
      maxSq = Math.max(maxSq, sq[j]);
    }
    // lstsq's default rcond is eps·max(n, f) on singular values, i.e. its square on squared ones
    double rcond = 2.220446049250313e-16 * Math.max(n, f);
    double cutoffSq = maxSq * rcond * rcond;
    double[] beta = new double[f];
    for (int j = 0; j < f; j++) {
      double denom = sq[j] + alpha;
      if (sq[j] <= cutoffSq && alpha == 0.0 || denom == 0.0) {
        continue;
      }
      double coef = dot(cols[j], y) / denom; // (s_j u_j·y) / (s_j² + alpha)
      for (int k = 0; k < f; k++) {
        beta[k] += v[j][k] * coef;
      }
    }
    return beta;
  }

  private static void rotate(double[] p, double[] q, double c, double s) {
    for (int i = 0; i < p.length; i++) {
      double a = p[i];
      double b = q[i];
      p[i] = c * a - s * b;
      q[i] = s * a + c * b;
    }
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
