package dev.almanac.trainer.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.almanac.trainer.onnx.OrtRunner;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LstmRegressorTest {
  @Test
  void gradientMatchesFiniteDifferences() {
    LstmNetwork net = new LstmNetwork(4, new int[] {2, 0, 1}, 3);
    Random r = new Random(5);
    double[] theta = new double[net.size()];
    for (int k = 0; k < theta.length; k++) {
      theta[k] = r.nextGaussian() * 0.5;
    }
    double[][] x = new double[6][3];
    double[] y = new double[6];
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 3; j++) {
        x[i][j] = r.nextGaussian();
      }
      y[i] = r.nextGaussian();
    }
    double[] grad = new double[theta.length];
    net.lossAndGradient(theta, x, y, 0, 6, grad);
    double eps = 1e-6;
    for (int k = 0; k < theta.length; k++) {
      double[] plus = theta.clone();
      double[] minus = theta.clone();
      plus[k] += eps;
      minus[k] -= eps;
      double numeric =
          (net.lossAndGradient(plus, x, y, 0, 6, new double[theta.length])
                  - net.lossAndGradient(minus, x, y, 0, 6, new double[theta.length]))
              / (2 * eps);
      assertThat(grad[k])
          .as("dLoss/dtheta[%d]", k)
          .isCloseTo(numeric, within(1e-6 + 1e-5 * Math.abs(numeric)));
    }
    // forward() is the same network as the loss's pass
    double[] single = new double[theta.length];
    double loss = net.lossAndGradient(theta, new double[][] {x[0]}, new double[] {0}, 0, 1, single);
    assertThat(0.5 * Math.pow(net.forward(theta, x[0]), 2)).isCloseTo(loss, within(1e-12));
  }

  /** y depends on the sequence through a product no linear head can express; the LSTM learns it. */
  @Test
  void learnsASequenceInteractionAndIsDeterministic() {
    Random r = new Random(3);
    int n = 600;
    double[][] x = new double[n][4];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 4; j++) {
        x[i][j] = r.nextGaussian();
      }
      y[i] = 100 + 10 * x[i][0] * x[i][1] + 5 * x[i][2];
    }
    Map<String, String> p =
        Map.of(LstmRegressorTrainer.SEQUENCE_COLUMNS, "0,1,2", "iterations", "300");
    FitOptions o = new FitOptions(42, 2, Map.of());
    TrainedRegressor lstm =
        new LstmRegressorTrainer(p).fit(SyntheticData.head(x, 400), Arrays.copyOf(y, 400), o);
    TrainedRegressor linear =
        LinearRegressionTrainer.linear(Map.of())
            .fit(SyntheticData.head(x, 400), Arrays.copyOf(y, 400), o);
    double[][] held = SyntheticData.tail(x, 400);
    double[] truth = Arrays.copyOfRange(y, 400, n);
    double lstmMse = mse(lstm.predict(held), truth);
    double linearMse = mse(linear.predict(held), truth);
    assertThat(lstmMse).isLessThan(0.3 * linearMse);
    assertThat(
            new LstmRegressorTrainer(p)
                .fit(
                    SyntheticData.head(x, 400),
                    Arrays.copyOf(y, 400),
                    new FitOptions(42, 1, Map.of()))
                .predict(held))
        .as("same seed, any thread count")
        .containsExactly(lstm.predict(held));
    assertThat(
            new LstmRegressorTrainer(p)
                .fit(
                    SyntheticData.head(x, 400),
                    Arrays.copyOf(y, 400),
                    new FitOptions(7, 1, Map.of()))
                .predict(held)[0])
        .isNotEqualTo(lstm.predict(held)[0]);
  }

  @Test
  void onnxLstmOperatorMatchesNativeOnLagSequences() throws Exception {
    List<String> names =
        List.of("dow", "week", "month", "is_weekend", "lag_1", "lag_7", "lag_14", "roll_mean_7");
    assertThat(LstmRegressorTrainer.sequenceColumns(names)).isEqualTo("6,5,4");
    Random r = new Random(9);
    double[][] x = new double[500][names.size()];
    double[] y = new double[500];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < names.size(); j++) {
        x[i][j] = 40_000 + 10_000 * r.nextGaussian();
      }
      y[i] = 0.5 * x[i][4] + 0.3 * x[i][5] + 0.2 * Math.max(x[i][6], 40_000);
    }
    TrainedRegressor m =
        ModelCatalog.regressor(
                dev.almanac.api.v1alpha1.pipeline.ModelType.LSTM, Map.of("hidden", "8"))
            .fit(
                SyntheticData.head(x, 300),
                Arrays.copyOf(y, 300),
                new FitOptions(
                    1,
                    1,
                    ModelCatalog.layoutParams(
                        dev.almanac.api.v1alpha1.pipeline.ModelType.LSTM, names)));
    double[][] held = SyntheticData.tail(x, 300);
    // the ONNX graph sees float32 rows: give the native model the same rounded rows
    for (double[] row : held) {
      for (int j = 0; j < row.length; j++) {
        row[j] = (float) row[j];
      }
    }
    try (OrtRunner ort = new OrtRunner(m.toOnnx(names.size()))) {
      assertThat(OnnxParityTest.maxRelativeError(ort.regress(held), m.predict(held)))
          .isLessThan(1e-5);
    }
  }

  @Test
  void badParamsNameTheProblem() {
    double[][] x = {{1, 2}, {2, 3}, {3, 5}};
    double[] y = {1, 2, 3};
    assertThatThrownBy(
            () ->
                new LstmRegressorTrainer(Map.of("sequenceColumns", "0,5"))
                    .fit(x, y, FitOptions.defaults()))
        .hasMessageContaining("column 5 outside 0..1");
    assertThatThrownBy(
            () -> new LstmRegressorTrainer(Map.of("hidden", "0")).fit(x, y, FitOptions.defaults()))
        .hasMessageContaining("'hidden' of model LSTM must be >= 1");
    assertThatThrownBy(
            () -> new LstmRegressorTrainer(Map.of("epochs", "3")).fit(x, y, FitOptions.defaults()))
        .hasMessageContaining("unknown parameter(s) [epochs] for model LSTM");
  }

  private static double mse(double[] p, double[] t) {
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      s += (p[i] - t[i]) * (p[i] - t[i]);
    }
    return s / p.length;
  }
}
