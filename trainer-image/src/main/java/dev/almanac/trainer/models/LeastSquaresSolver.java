package dev.almanac.trainer.models;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Ridge / least-squares solution through commons-math's SVD of the design matrix (no normal
 * equations, so lagged and rolling features that are nearly collinear keep their precision). With
 * alpha = 0 singular values below a relative cutoff are dropped: the minimum-norm solution, as
 * numpy's lstsq behind scikit-learn's LinearRegression.
 */
final class LeastSquaresSolver {
  /**
   * lstsq's default rcond: machine epsilon times the larger dimension, relative to the largest
   * singular value.
   */
  private static final double EPSILON = 2.220446049250313e-16;

  private LeastSquaresSolver() {}

  /** argmin ||z·b - y||² + alpha·||b||², z is n×f (not modified). */
  static double[] solve(double[][] z, double[] y, double alpha) {
    int n = z.length;
    int f = z[0].length;
    SingularValueDecomposition svd =
        new SingularValueDecomposition(new Array2DRowRealMatrix(z, false));
    double[] s = svd.getSingularValues(); // descending
    RealMatrix u = svd.getU();
    RealMatrix v = svd.getV();
    double cutoff = s.length == 0 ? 0 : s[0] * EPSILON * Math.max(n, f);
    double[] beta = new double[f];
    for (int j = 0; j < s.length; j++) {
      double denom = s[j] * s[j] + alpha;
      if (alpha == 0.0 && s[j] <= cutoff || denom == 0.0) {
        continue;
      }
      double coef = s[j] * dot(u.getColumn(j), y) / denom; // (s_j u_j·y) / (s_j² + alpha)
      for (int k = 0; k < f; k++) {
        beta[k] += v.getEntry(k, j) * coef;
      }
    }
    return beta;
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
