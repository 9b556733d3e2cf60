package dev.almanac.ml.intervals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConformalCalibrationTest {
  @Test
  void quantileIsTheConformalRankOfTheSortedScores() {
    double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    // n = 9: rank ⌈10·0.8⌉ = 8, rank ⌈10·0.95⌉ = 10 → capped at 9
    assertThat(ConformalCalibration.quantile(sorted, 0.8)).isEqualTo(8);
    assertThat(ConformalCalibration.quantile(sorted, 0.95)).isEqualTo(9);
  }

  @Test
  void widthsComeFromTheStepsPooledWithTheirNeighboursAndNeverShrinkWithTheStep() {
    // 10 windows, 3 steps; step 0 residuals 1..10, step 1 all 0.5, step 2 residuals 11..20
    List<double[]> r = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      r.add(new double[] {i, 0.5, 10 + i});
    }
    ConformalCalibration alone = ConformalCalibration.fit(r, 3, 0, 0.8);
    assertThat(alone.scaledQuantile(0, 0)).isEqualTo(9); // rank ⌈11·0.8⌉ = 9
    // step 1 alone would be 0.5: monotone in the step keeps it at step 0's width
    assertThat(alone.scaledQuantile(0, 1)).isEqualTo(9);
    assertThat(alone.scaledQuantile(0, 2)).isEqualTo(19);
    ConformalCalibration pooled = ConformalCalibration.fit(r, 3, 1, 0.8);
    // step 0 pools steps 0 and 1: 20 scores (ten 0.5s, 1..10), rank ⌈21·0.8⌉ = 17 → 7
    assertThat(pooled.scaledQuantile(0, 0)).isEqualTo(7);
  }

  @Test
  void bandsScaleWithTheSeriesAndAreFlooredAtZero() {
    List<double[]> r = List.of(new double[] {1, 2}, new double[] {1, 2});
    IntervalBands b = ConformalCalibration.fit(r, 2, 0).bands(100);
    assertThat(b.method()).isEqualTo(ConformalCalibration.METHOD);
    assertThat(b.levels()).containsExactly(0.8, 0.95);
    assertThat(b.width(0, 0)).isEqualTo(100);
    assertThat(b.width(1, 1)).isEqualTo(200);
    assertThat(b.width(1, 30)).as("beyond the stored steps: the last width").isEqualTo(200);
    assertThat(b.lower(0, new double[] {50, 500})).containsExactly(0, 300);
    assertThat(b.upper(0, new double[] {50, 500})).containsExactly(150, 700);
  }

  @Test
  void exchangeableResidualsGiveNominalCoverage() {
    // Calibrate on 2,000 windows of |N(0, s)|/s, test on 2,000 fresh ones with other scales.
    Random rnd = new Random(7);
    List<double[]> cal = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      cal.add(new double[] {Math.abs(rnd.nextGaussian())});
    }
    ConformalCalibration c = ConformalCalibration.fit(cal, 1, 0);
    List<double[]> actual = new ArrayList<>();
    List<double[]> forecast = new ArrayList<>();
    List<IntervalBands> bands = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      double scale = 1 + rnd.nextInt(1000);
      forecast.add(new double[] {1e6});
      actual.add(new double[] {1e6 + scale * rnd.nextGaussian()});
      bands.add(c.bands(scale));
    }
    assertThat(ConformalCalibration.coverage(actual, forecast, bands, 0))
        .isCloseTo(0.8, within(0.03));
    assertThat(ConformalCalibration.coverage(actual, forecast, bands, 1))
        .isCloseTo(0.95, within(0.02));
  }

  @Test
  void scaleIsTheRecentMeanWeeklyDifferenceAndAtLeastOne() {
    double[] h = new double[100];
    for (int t = 0; t < h.length; t++) {
      h[t] = t < 44 ? 0 : 2 * t; // flat, then rising by 2 a day: weekly difference 14
    }
    // the last 56 days are all on the ramp (t ≥ 44; their t−7 from 37 on, partly flat)
    double expected = 0;
    for (int t = 44; t < 100; t++) {
      expected += Math.abs(h[t] - h[t - 7]);
    }
    assertThat(ConformalCalibration.scaleOf(h)).isCloseTo(expected / 56, within(1e-12));
    assertThat(ConformalCalibration.scaleOf(new double[30])).isEqualTo(1.0);
  }

  @Test
  void noResidualsIsAClearError() {
    assertThatThrownBy(() -> ConformalCalibration.fit(List.of(), 3, 1))
        .hasMessageContaining("no backtest residuals");
  }
}
