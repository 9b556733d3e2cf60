package dev.almanac.trainer.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.almanac.api.v1alpha1.pipeline.ModelType;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TreeModelsTest {

  static double mse(double[] p, double[] y) {
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      s += (p[i] - y[i]) * (p[i] - y[i]);
    }
    return s / p.length;
  }

  @ParameterizedTest
  @ValueSource(strings = {"RandomForest", "XGBoost", "LightGBM"})
  void treeModelsLearnANonlinearFunctionFarBetterThanTheMean(ModelType type) {
    SyntheticData.Regression d = SyntheticData.nonlinear(800, 4, 21);
    double[][] train = SyntheticData.head(d.x(), 600);
    double[] yTrain = Arrays.copyOf(d.y(), 600);
    double[][] test = SyntheticData.tail(d.x(), 600);
    double[] yTest = Arrays.copyOfRange(d.y(), 600, 800);
    TrainedRegressor m =
        ModelCatalog.regressor(type, Map.of()).fit(train, yTrain, new FitOptions(42, 1, Map.of()));
    double mean = Arrays.stream(yTrain).average().orElseThrow();
    double[] meanPred = new double[yTest.length];
    Arrays.fill(meanPred, mean);
    double r2 = 1 - mse(m.predict(test), yTest) / mse(meanPred, yTest);
    System.out.printf("%s held-out R2 %.3f%n", type, r2);
    assertThat(r2).isGreaterThan(0.8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"RandomForest", "XGBoost", "LightGBM", "Linear", "Ridge"})
  void sameSeedGivesTheSameModel(ModelType type) {
    SyntheticData.Regression d = SyntheticData.nonlinear(300, 4, 2);
    Map<String, String> p =
        type == ModelType.XGBoost
            ? Map.of("subsample", "0.7", "colsample_bytree", "0.8")
            : type == ModelType.LightGBM
                ? Map.of("subsample", "0.7", "subsample_freq", "1", "colsample_bytree", "0.8")
                : Map.of();
    double[] a =
        ModelCatalog.regressor(type, p)
            .fit(d.x(), d.y(), new FitOptions(7, 1, Map.of()))
            .predict(d.x());
    double[] b =
        ModelCatalog.regressor(type, p)
            .fit(d.x(), d.y(), new FitOptions(7, 2, Map.of()))
            .predict(d.x());
    assertThat(b).containsExactly(a);
    if (type != ModelType.Linear && type != ModelType.Ridge) {
      double[] c =
          ModelCatalog.regressor(type, p)
              .fit(d.x(), d.y(), new FitOptions(8, 1, Map.of()))
              .predict(d.x());
      assertThat(c).isNotEqualTo(a); // the seed does reach the randomness
    }
  }

  @Test
  void forestParametersAreHonoured() {
    SyntheticData.Regression d = SyntheticData.nonlinear(300, 4, 2);
    TrainedForestRegressor stumps =
        new RandomForestRegressorTrainer(Map.of("n_estimators", "7", "max_depth", "1"))
            .fit(d.x(), d.y(), FitOptions.defaults());
    assertThat(stumps.treeCount()).isEqualTo(7);
    assertThat(stumps.nodeCount()).isEqualTo(7 * 3);
    assertThatThrownBy(
            () ->
                new RandomForestRegressorTrainer(Map.of("max_features", "most"))
                    .fit(d.x(), d.y(), FitOptions.defaults()))
        .hasMessageContaining("max_features")
        .hasMessageContaining("most");
  }

  @Test
  void fullyGrownForestTreesInterpolateTheirTrainingRows() {
    // without bootstrap every tree sees every row, so a fully grown tree reproduces distinct
    // targets
    SyntheticData.Regression d = SyntheticData.nonlinear(200, 3, 4);
    TrainedForestRegressor m =
        new RandomForestRegressorTrainer(Map.of("bootstrap", "false", "n_estimators", "3"))
            .fit(d.x(), d.y(), FitOptions.defaults());
    for (int i = 0; i < 200; i++) {
      assertThat(m.predict(d.x()[i]))
          .isCloseTo(d.y()[i], org.assertj.core.data.Offset.offset(1e-9));
    }
  }

  @Test
  void thresholdsAreFloatsBetweenTheTwoNeighbouringValues() {
    assertThat(CartTreeGrower.threshold(1f, 2f)).isEqualTo(1.5f);
    float lo = 1f;
    float hi = Math.nextUp(1f);
    assertThat(CartTreeGrower.threshold(lo, hi))
        .isEqualTo(lo); // midpoint not representable: stay below hi
    float a = 0.1f;
    float b = 0.3f;
    float t = CartTreeGrower.threshold(a, b);
    assertThat((double) t).isLessThanOrEqualTo(a / 2.0 + b / 2.0);
    assertThat(t).isGreaterThanOrEqualTo(a).isLessThan(b);
  }

  @Test
  void lightGbmDoubleThresholdsRoundDownToFloat() {
    double d = 0.1; // (float) 0.1 is above 0.1
    float f = LightGbmModelText.floorToFloat(d);
    assertThat((double) f).isLessThanOrEqualTo(d);
    assertThat((double) Math.nextUp(f)).isGreaterThan(d);
    assertThat(LightGbmModelText.floorToFloat(0.5)).isEqualTo(0.5f);
  }

  @Test
  void xgboostBaseScoreIsReadAsScalarOrVector() {
    assertThat(XGBoostModelJson.parseBaseScore("[5.4149637E0]", 1))
        .containsExactly((float) 5.4149637);
    assertThat(XGBoostModelJson.parseBaseScore("5E-1", 3)).containsExactly(0.5, 0.5, 0.5);
    assertThat(XGBoostModelJson.parseBaseScore("[1E0,2E0]", 2)).containsExactly(1.0, 2.0);
  }
}
