package dev.almanac.trainer.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import dev.almanac.api.v1alpha1.pipeline.ModelType;
import dev.almanac.trainer.onnx.OnnxEnsemble;
import dev.almanac.trainer.onnx.OrtRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every model type: ONNX Runtime on the exported graph vs the native model, on held-out rows. */
class OnnxParityTest {
  private static final double TOLERANCE = 1e-4;
  private static final FitOptions OPTS = new FitOptions(42, 1, Map.of());

  static List<ModelType> regressionTypes() {
    return ModelCatalog.REGRESSION_TYPES;
  }

  static List<ModelType> classificationTypes() {
    return ModelCatalog.CLASSIFICATION_TYPES;
  }

  /** |a - b| relative to max(|b|, 1). */
  static double maxRelativeError(double[] onnx, double[] nativePred) {
    double worst = 0;
    for (int i = 0; i < onnx.length; i++) {
      worst =
          Math.max(
              worst, Math.abs(onnx[i] - nativePred[i]) / Math.max(1.0, Math.abs(nativePred[i])));
    }
    return worst;
  }

  @ParameterizedTest
  @MethodSource("regressionTypes")
  void regressorGraphMatchesNativePredictions(ModelType type) throws Exception {
    SyntheticData.Regression d = SyntheticData.nonlinear(500, 5, 7);
    TrainedRegressor m =
        ModelCatalog.regressor(type, Map.of())
            .fit(SyntheticData.head(d.x(), 300), java.util.Arrays.copyOf(d.y(), 300), OPTS);
    double[][] held = SyntheticData.tail(d.x(), 300);
    double[] nativePred = m.predict(held);
    try (OrtRunner ort = new OrtRunner(m.toOnnx(5))) {
      double[] onnx = ort.regress(held);
      double err = maxRelativeError(onnx, nativePred);
      System.out.printf("parity %-12s regression max rel err %.3g%n", type, err);
      assertThat(err).isLessThan(TOLERANCE);
    }
    for (int i = 0; i < 5; i++) { // batch and single-row native paths agree
      assertThat(m.predict(held[i]))
          .isCloseTo(
              nativePred[i],
              org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, Math.abs(nativePred[i]))));
    }
  }

  @ParameterizedTest
  @MethodSource("regressionTypes")
  void regressorParityHoldsOnCaseCountMagnitudes(ModelType type) throws Exception {
    // targets in the 1e5 range, like daily case counts, stress float32 accumulation in the graph
    SyntheticData.Regression d = SyntheticData.nonlinear(400, 4, 11);
    double[] y = d.y().clone();
    for (int i = 0; i < y.length; i++) {
      y[i] = 50_000 + 3_000 * y[i];
    }
    TrainedRegressor m =
        ModelCatalog.regressor(type, Map.of())
            .fit(SyntheticData.head(d.x(), 300), java.util.Arrays.copyOf(y, 300), OPTS);
    double[][] held = SyntheticData.tail(d.x(), 300);
    try (OrtRunner ort = new OrtRunner(m.toOnnx(4))) {
      double err = maxRelativeError(ort.regress(held), m.predict(held));
      System.out.printf("parity %-12s large-target max rel err %.3g%n", type, err);
      assertThat(err).isLessThan(TOLERANCE);
    }
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"XGBoost", "LightGBM"})
  void missingValuesFollowTheLibrarysDefaultDirection(ModelType type) throws Exception {
    SyntheticData.Regression d = SyntheticData.nonlinear(500, 4, 19);
    double[][] x = d.x().clone();
    java.util.Random r = new java.util.Random(23);
    for (int i = 0; i < x.length; i++) {
      x[i] = x[i].clone();
      for (int j = 0; j < 4; j++) {
        if (r.nextDouble() < 0.15) {
          x[i][j] = Double.NaN;
        }
      }
    }
    TrainedRegressor m =
        ModelCatalog.regressor(type, Map.of())
            .fit(SyntheticData.head(x, 300), java.util.Arrays.copyOf(d.y(), 300), OPTS);
    double[][] held = SyntheticData.tail(x, 300);
    try (OrtRunner ort = new OrtRunner(m.toOnnx(4))) {
      double err = maxRelativeError(ort.regress(held), m.predict(held));
      System.out.printf("parity %-12s with 15%% NaN max rel err %.3g%n", type, err);
      assertThat(err).isLessThan(TOLERANCE);
    }
  }

  @ParameterizedTest
  @MethodSource("classificationTypes")
  void classifierGraphMatchesNativeProbabilities(ModelType type) throws Exception {
    for (int nClasses : new int[] {2, 5}) {
      SyntheticData.Classification d = SyntheticData.blobs(400, 6, nClasses, 3);
      // noisier copy so the probabilities are not all 0/1
      double[][] x = d.x().clone();
      java.util.Random r = new java.util.Random(5);
      for (int i = 0; i < x.length; i++) {
        x[i] = x[i].clone();
        for (int j = 0; j < x[i].length; j++) {
          x[i][j] = SyntheticData.q(x[i][j] + 6 * r.nextGaussian());
        }
      }
      TrainedClassifier m =
          ModelCatalog.classifier(type, Map.of())
              .fit(SyntheticData.head(x, 250), java.util.Arrays.copyOf(d.y(), 250), nClasses, OPTS);
      double[][] held = SyntheticData.tail(x, 250);
      double[][] nativeProba = m.predictProba(held);
      try (OrtRunner ort = new OrtRunner(m.toOnnx(6, nClasses))) {
        OrtRunner.Classified c = ort.classify(held);
        double worst = 0;
        int labelMismatch = 0;
        for (int i = 0; i < held.length; i++) {
          assertThat(c.probabilities()[i]).hasSize(nClasses);
          int argmax = 0;
          for (int k = 0; k < nClasses; k++) {
            worst = Math.max(worst, Math.abs(c.probabilities()[i][k] - nativeProba[i][k]));
            if (nativeProba[i][k] > nativeProba[i][argmax]) {
              argmax = k;
            }
          }
          if (c.labels()[i] != argmax) {
            labelMismatch++;
          }
        }
        System.out.printf(
            "parity %-18s classes=%d max abs prob err %.3g, label mismatches %d%n",
            type, nClasses, worst, labelMismatch);
        assertThat(worst).isLessThan(TOLERANCE);
        assertThat(labelMismatch).isZero();
      }
    }
  }

  @Test
  void weightedEnsembleIsOneGraphMatchingTheWeightedNativeSum() throws Exception {
    SyntheticData.Regression d = SyntheticData.nonlinear(400, 5, 13);
    double[][] train = SyntheticData.head(d.x(), 300);
    double[] yTrain = java.util.Arrays.copyOf(d.y(), 300);
    double[][] held = SyntheticData.tail(d.x(), 300);
    double[] weights = {0.1, 0.2, 0.3, 0.25, 0.15};
    List<OnnxMl.ModelProto> graphs = new ArrayList<>();
    double[] expected = new double[held.length];
    for (int k = 0; k < weights.length; k++) {
      TrainedRegressor m =
          ModelCatalog.regressor(ModelCatalog.REGRESSION_TYPES.get(k), Map.of())
              .fit(train, yTrain, OPTS);
      graphs.add(m.toOnnx(5));
      double[] p = m.predict(held);
      for (int i = 0; i < p.length; i++) {
        expected[i] += weights[k] * p[i];
      }
    }
    OnnxMl.ModelProto ensemble = OnnxEnsemble.weightedSum(graphs, weights);
    assertThat(ensemble.getGraph().getOutputList())
        .extracting(OnnxMl.ValueInfoProto::getName)
        .containsExactly("prediction");
    assertThat(ensemble.getGraph().getInputList())
        .extracting(OnnxMl.ValueInfoProto::getName)
        .containsExactly("features");
    try (OrtRunner ort = new OrtRunner(ensemble)) {
      double err = maxRelativeError(ort.regress(held), expected);
      System.out.printf("parity ensemble(5)    max rel err %.3g%n", err);
      assertThat(err).isLessThan(TOLERANCE);
    }
  }
}
