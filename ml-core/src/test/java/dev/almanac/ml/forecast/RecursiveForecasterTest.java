package dev.almanac.ml.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.almanac.ml.features.FeaturePipeline;
import dev.almanac.ml.features.FeatureSpec;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecursiveForecasterTest {
  private final FeaturePipeline features = new FeaturePipeline(FeatureSpec.defaults());
  private final RecursiveForecaster forecaster = new RecursiveForecaster(features);
  private final int lag1 = features.names().indexOf("lag_1");
  private final int mean7 = features.names().indexOf("roll_mean_7");

  private static double[] constant(int n, double v) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  @Test
  void eachPredictionIsFedBackIntoTheNextDaysFeatures() {
    // predictor: yesterday + 1. Without feedback every step would predict 11.
    double[] out =
        forecaster.forecast(
            ForecastInput.of(constant(20, 10), LocalDate.of(2021, 1, 1)), 5, row -> row[lag1] + 1);
    assertThat(out).containsExactly(11, 12, 13, 14, 15);
  }

  @Test
  void rollingFeaturesAreRecomputedFromPredictions() {
    List<Double> seenMeans = new ArrayList<>();
    forecaster.forecast(
        ForecastInput.of(constant(20, 7), LocalDate.of(2021, 1, 1)),
        3,
        row -> {
          seenMeans.add(row[mean7]);
          return 14;
        });
    assertThat(seenMeans).containsExactly(7.0, 8.0, 9.0); // 7 → (6*7+14)/7 → (5*7+2*14)/7
  }

  @Test
  void datesAdvanceOneDayPerStep() {
    List<Double> dows = new ArrayList<>();
    forecaster.forecast(
        ForecastInput.of(constant(20, 1), LocalDate.of(2021, 4, 24)),
        3,
        row -> {
          dows.add(row[0]);
          return 1;
        });
    assertThat(dows).containsExactly(6.0, 0.0, 1.0); // 2021-04-25 is a Sunday
  }

  @Test
  void floorAndOffsetsApplyBeforeFeedback() {
    ForecastInput in =
        new ForecastInput(
            constant(20, 5), LocalDate.of(2021, 1, 1), null, 0.0, new double[] {1, 1, -100});
    double[] out = forecaster.forecast(in, 3, row -> row[lag1] - 2);
    assertThat(out).containsExactly(4, 3, 0);
  }

  @Test
  void severalSeriesAreScoredInOneBatchedCallPerStep() {
    AtomicInteger batchCalls = new AtomicInteger();
    RowPredictor p =
        new RowPredictor() {
          @Override
          public double predict(double[] row) {
            throw new AssertionError("single-row path must not be used for several series");
          }

          @Override
          public double[] predict(double[][] rows) {
            batchCalls.incrementAndGet();
            double[] o = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
              o[i] = rows[i][lag1] * 2;
            }
            return o;
          }
        };
    var res =
        forecaster.forecastAll(
            List.of(
                ForecastInput.of(constant(15, 1), LocalDate.of(2021, 1, 1)),
                ForecastInput.of(constant(15, 3), LocalDate.of(2021, 1, 1))),
            3,
            p);
    assertThat(batchCalls).hasValue(3);
    assertThat(res.get(0).values()).containsExactly(2, 4, 8);
    assertThat(res.get(1).values()).containsExactly(6, 12, 24);
    assertThat(res.get(1).rows()[2][lag1]).isEqualTo(12);
  }

  @Test
  void naiveBaselines() {
    double[] h = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    assertThat(NaiveForecasts.lastValue(h, 3)).containsExactly(9, 9, 9);
    assertThat(NaiveForecasts.seasonal(h, 9)).containsExactly(3, 4, 5, 6, 7, 8, 9, 3, 4);
  }

  @Test
  void etsRecoversATrendingWeeklySeries() {
    int n = 140;
    double[] y = new double[n + 14];
    double[] season = {10, -5, 0, 3, -8, 5, -5};
    for (int t = 0; t < y.length; t++) {
      y[t] = 100 + 0.5 * t + season[t % 7];
    }
    double[] train = java.util.Arrays.copyOf(y, n);
    EtsModel m = EtsModel.fit(train);
    double[] fc = m.forecast(train, 14);
    for (int h = 0; h < 14; h++) {
      assertThat(fc[h]).isCloseTo(y[n + h], within(3.0)); // damping bends the trend a little
    }
    assertThat(m.phi()).isBetween(0.8, 0.995);
    assertThat(m.sse(train)).isLessThan(50.0);
  }
}
