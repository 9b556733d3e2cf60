package dev.almanac.ml.forecast;

import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Nelder–Mead minimisation on commons-math's {@link SimplexOptimizer} with an evaluation budget
 * that ends a search with its best point instead of an exception (ETS fits restart from it).
 */
final class SimplexSearch {
  private SimplexSearch() {}

  /**
   * Minimises {@code f} from {@code x0} over a simplex with one edge of length {@code step[i]}
   * along each axis; stops when no vertex value moves by more than {@code relTolerance} in an
   * iteration, or after {@code maxEvals} evaluations.
   */
  static double[] minimize(
      MultivariateFunction f, double[] x0, double[] step, int maxEvals, double relTolerance) {
    BestSeen tracked = new BestSeen(f);
    try {
      return new SimplexOptimizer(new SimpleValueChecker(relTolerance, 0))
          .optimize(
              new ObjectiveFunction(tracked),
              GoalType.MINIMIZE,
              new InitialGuess(x0),
              new NelderMeadSimplex(axisSimplex(step)),
              new MaxEval(maxEvals))
          .getPoint();
    } catch (TooManyEvaluationsException budgetSpent) {
      return tracked
          .point; // the simplex's best vertex: every improving point evaluated joins the simplex
    }
  }

  /**
   * The origin and one vertex per axis (commons-math's steps constructor builds a staircase
   * instead).
   */
  private static double[][] axisSimplex(double[] step) {
    double[][] simplex = new double[step.length + 1][step.length];
    for (int i = 0; i < step.length; i++) {
      simplex[i + 1][i] = step[i];
    }
    return simplex;
  }

  /** Remembers the lowest value evaluated and its point. */
  private static final class BestSeen implements MultivariateFunction {
    private final MultivariateFunction f;
    private double value = Double.POSITIVE_INFINITY;
    private double[] point;

    BestSeen(MultivariateFunction f) {
      this.f = f;
    }

    @Override
    public double value(double[] x) {
      double v = f.value(x);
      if (point == null || v < value) {
        value = v;
        point = x.clone();
      }
      return v;
    }
  }
}
