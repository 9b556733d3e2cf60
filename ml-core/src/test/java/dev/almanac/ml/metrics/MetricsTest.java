package dev.almanac.ml.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void forecastMetricsMatchHandComputedValues() {
    double[] a = {10, 0, 20, 40};
    double[] f = {12, 0, 10, 40};
    ForecastMetrics m = ForecastMetrics.of(a, f, 4.0);
    assertThat(m.mae()).isEqualTo(3.0); // (2+0+10+0)/4
    assertThat(m.rmse()).isCloseTo(Math.sqrt(104 / 4.0), within(1e-12));
    assertThat(m.mape()).isCloseTo((0.2 + 0.5 + 0) / 3 * 100, within(1e-12)); // zero actual skipped
    assertThat(m.smape())
        .isCloseTo((200 * 2 / 22.0 + 0 + 200 * 10 / 30.0 + 0) / 4, within(1e-12)); // 0/0 counts 0
    assertThat(m.mase()).isEqualTo(0.75);
    assertThat(m.get("MASE")).isEqualTo(0.75);
  }

  @Test
  void maseScaleIsTheInSampleSeasonalNaiveError() {
    double[] train = {1, 2, 3, 4, 5, 6, 7, 3, 2, 3};
    // |3-1| + |2-2| + |3-3| over 3
    assertThat(ForecastMetrics.maseScale(train)).isCloseTo(2.0 / 3, within(1e-15));
    assertThat(ForecastMetrics.of(new double[] {1}, new double[] {2}, 0).mase()).isNull();
  }

  @Test
  void classificationMetrics() {
    int[] y = {0, 1, 2, 2};
    double[][] p = {
      {0.7, 0.2, 0.1}, // right
      {0.6, 0.3, 0.1}, // wrong (0), truth 2nd
      {0.1, 0.1, 0.8}, // right
      {0.5, 0.4, 0.1}, // wrong (0), truth ranked 3rd
    };
    ClassificationMetrics m = ClassificationMetrics.of(y, p);
    assertThat(m.accuracy()).isEqualTo(0.5);
    assertThat(m.top3Accuracy()).isEqualTo(1.0);
    // F1: class0 tp1 fp2 fn0 → 2/4; class1 tp0 fn1 → 0; class2 tp1 fn1 → 2/3
    assertThat(m.macroF1()).isCloseTo((0.5 + 0 + 2.0 / 3) / 3, within(1e-12));
    assertThat(m.logLoss())
        .isCloseTo(
            -(Math.log(0.7) + Math.log(0.3) + Math.log(0.8) + Math.log(0.1)) / 4, within(1e-9));
    assertThat(m.get("Accuracy")).isEqualTo(0.5);
  }
}
