package dev.almanac.trainer.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearRegressionTrainerTest {
  private static final FitOptions OPTS = new FitOptions(1, 1, Map.of());

  @Test
  void linearRecoversExactCoefficientsAndIntercept() {
    Random r = new Random(3);
    double[][] x = new double[50][3];
    double[] y = new double[50];
    for (int i = 0; i < 50; i++) {
      x[i] = new double[] {r.nextDouble() * 100, r.nextDouble() - 0.5, r.nextInt(7)};
      y[i] = 3 + 2 * x[i][0] - 5 * x[i][1] + 0.25 * x[i][2];
    }
    TrainedLinearRegressor m = LinearRegressionTrainer.linear(Map.of()).fit(x, y, OPTS);
    assertThat(m.coef()).containsExactly(new double[] {2, -5, 0.25}, offset(1e-9));
    assertThat(m.intercept()).isCloseTo(3, offset(1e-8));
  }

  @Test
  void linearWithCollinearColumnsGivesTheMinimumNormSolution() {
    // x1 = 2·x0: lstsq splits the slope so that ||b|| is minimal: b0 + 2·b1 = 3, b = t·(1, 2) →
    // (0.6, 1.2)
    double[][] x = new double[20][];
    double[] y = new double[20];
    for (int i = 0; i < 20; i++) {
      x[i] = new double[] {i, 2.0 * i};
      y[i] = 1 + 3 * i;
    }
    TrainedLinearRegressor m =
        LinearRegressionTrainer.linear(Map.of("standardize", "false")).fit(x, y, OPTS);
    assertThat(m.coef()).containsExactly(new double[] {0.6, 1.2}, offset(1e-9));
    assertThat(m.predict(new double[] {100, 200})).isCloseTo(301, offset(1e-8));
  }

  /**
   * Closed form for one feature: slope = Sxy / (Sxx + alpha), centred sums; intercept unpenalized.
   */
  @Test
  void ridgeOnRawFeaturesMatchesClosedForm() {
    double[][] x = {{1}, {2}, {3}, {4}, {5}};
    double[] y = {2.0, 4.5, 5.5, 8.5, 9.0};
    double alpha = 2.5;
    // xbar = 3, ybar = 5.9; Sxx = 10; Sxy = (-2)(-3.9) + (-1)(-1.4) + 0 + (1)(2.6) + (2)(3.1) = 18
    double slope = 18.0 / (10.0 + alpha);
    TrainedLinearRegressor m =
        LinearRegressionTrainer.ridge(Map.of("alpha", "2.5", "standardize", "false"))
            .fit(x, y, OPTS);
    assertThat(m.coef()[0]).isCloseTo(slope, offset(1e-12));
    assertThat(m.intercept()).isCloseTo(5.9 - slope * 3, offset(1e-12));
  }

  /** StandardScaler + Ridge(alpha=1): on z = (x - 3)/sqrt(2), Szz = 5, Szy = 18/sqrt(2). */
  @Test
  void ridgeDefaultStandardizesLikeTheAnchorPipeline() {
    double[][] x = {{1}, {2}, {3}, {4}, {5}};
    double[] y = {2.0, 4.5, 5.5, 8.5, 9.0};
    double betaZ = (18.0 / Math.sqrt(2)) / (5.0 + 1.0);
    double slope = betaZ / Math.sqrt(2);
    TrainedLinearRegressor m = LinearRegressionTrainer.ridge(Map.of()).fit(x, y, OPTS);
    assertThat(m.coef()[0]).isCloseTo(slope, offset(1e-12));
    assertThat(m.predict(new double[] {3})).isCloseTo(5.9, offset(1e-12));
  }

  /** Two features: (Xc'Xc + alpha·I)^-1 Xc'yc solved by hand with a 2x2 inverse. */
  @Test
  void ridgeTwoFeaturesMatchesNormalEquations() {
    Random r = new Random(9);
    int n = 40;
    double[][] x = new double[n][2];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i][0] = r.nextGaussian() * 3;
      x[i][1] = x[i][0] * 0.5 + r.nextGaussian();
      y[i] = 1 + x[i][0] - 2 * x[i][1] + r.nextGaussian() * 0.3;
    }
    double alpha = 4;
    double m0 = 0;
    double m1 = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      m0 += x[i][0] / n;
      m1 += x[i][1] / n;
      my += y[i] / n;
    }
    double a = alpha;
    double b = 0;
    double d = alpha;
    double v0 = 0;
    double v1 = 0;
    for (int i = 0; i < n; i++) {
      double c0 = x[i][0] - m0;
      double c1 = x[i][1] - m1;
      a += c0 * c0;
      b += c0 * c1;
      d += c1 * c1;
      v0 += c0 * (y[i] - my);
      v1 += c1 * (y[i] - my);
    }
    double det = a * d - b * b;
    double w0 = (d * v0 - b * v1) / det;
    double w1 = (-b * v0 + a * v1) / det;
    TrainedLinearRegressor m =
        LinearRegressionTrainer.ridge(Map.of("alpha", "4", "standardize", "false")).fit(x, y, OPTS);
    assertThat(m.coef()).containsExactly(new double[] {w0, w1}, offset(1e-10));
    assertThat(m.intercept()).isCloseTo(my - w0 * m0 - w1 * m1, offset(1e-10));
  }

  @Test
  void constantColumnGetsZeroWeight() {
    double[][] x = {{1, 7}, {2, 7}, {3, 7}, {4, 7}};
    double[] y = {1, 3, 5, 7};
    TrainedLinearRegressor m =
        LinearRegressionTrainer.ridge(Map.of("alpha", "0.5")).fit(x, y, OPTS);
    assertThat(m.coef()[1]).isZero();
  }

  @Test
  void unknownOrMalformedParametersFailWithTheirName() {
    double[][] x = {{1}, {2}};
    double[] y = {1, 2};
    assertThatThrownBy(() -> LinearRegressionTrainer.ridge(Map.of("alpah", "1")).fit(x, y, OPTS))
        .hasMessageContaining("alpah")
        .hasMessageContaining("Ridge");
    assertThatThrownBy(() -> LinearRegressionTrainer.ridge(Map.of("alpha", "much")).fit(x, y, OPTS))
        .hasMessageContaining("'alpha'")
        .hasMessageContaining("much");
    assertThatThrownBy(
            () ->
                LinearRegressionTrainer.linear(Map.of())
                    .fit(new double[][] {{1}, {Double.NaN}}, y, OPTS))
        .hasMessageContaining("row 1");
  }
}
