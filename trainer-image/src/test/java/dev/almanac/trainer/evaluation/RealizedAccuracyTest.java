package dev.almanac.trainer.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.almanac.trainer.batch.PredictionRow;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RealizedAccuracyTest {
  private static final LocalDate ORIGIN = LocalDate.of(2021, 2, 1);

  /** 21 days of actuals up to the origin alternating 10/20 by week, then the given values. */
  private static NavigableMap<LocalDate, Double> actuals(double... after) {
    var m = new TreeMap<LocalDate, Double>();
    for (int i = 20; i >= 0; i--) {
      m.put(ORIGIN.minusDays(i), (i / 7) % 2 == 0 ? 10.0 : 20.0);
    }
    for (int d = 0; d < after.length; d++) {
      m.put(ORIGIN.plusDays(d + 1), after[d]);
    }
    return m;
  }

  private static PredictionRow row(String version, String series, int step, double value) {
    return new PredictionRow(
        "covid", "covid-cases", version, series, ORIGIN.plusDays(step), step, value, Instant.EPOCH);
  }

  @Test
  void onlyDaysWithActualsAreScoredAndMaseUsesTheNaiveErrorBeforeTheFirstDay() {
    var forecasts = new ArrayList<PredictionRow>();
    for (int step = 1; step <= 5; step++) {
      forecasts.add(row("7", "DEU", step, 12)); // errors 2, 2, 8 against 10, 10, 20
    }
    var scores = RealizedAccuracy.score(forecasts, Map.of("DEU", actuals(10, 10, 20)));

    var s = scores.get(0);
    assertThat(scores).hasSize(1);
    assertThat(s.points()).isEqualTo(3);
    assertThat(s.firstDay()).isEqualTo(ORIGIN.plusDays(1));
    assertThat(s.lastDay()).isEqualTo(ORIGIN.plusDays(3));
    assertThat(s.mae()).isCloseTo(4.0, within(1e-12));
    // lag-7 naive error of the 21 days before: 14 differences, the week changes make every one
    // |10-20|
    assertThat(s.mase()).isCloseTo(4.0 / 10.0, within(1e-12));
  }

  @Test
  void versionsAndSeriesAreScoredApartAndARepeatedDayCountsItsShortestHorizon() {
    var forecasts =
        List.of(
            row("10", "DEU", 1, 10),
            row("9", "DEU", 1, 30),
            row("9", "JPN", 1, 11),
            new PredictionRow(
                "covid", "covid-cases", "9", "JPN", ORIGIN.plusDays(1), 3, 1000, Instant.EPOCH),
            row("9", "FRA", 1, 5)); // no actuals for FRA
    var scores = RealizedAccuracy.score(forecasts, Map.of("DEU", actuals(10), "JPN", actuals(10)));

    assertThat(scores)
        .extracting(s -> s.modelVersion() + " " + s.series() + " " + s.mae())
        .containsExactly("9 DEU 20.0", "9 JPN 1.0", "10 DEU 0.0");
    assertThat(RealizedAccuracy.meanMaseByVersion(scores))
        .containsOnlyKeys("9", "10")
        .hasEntrySatisfying("9", m -> assertThat(m).isCloseTo((2.0 + 0.1) / 2, within(1e-12)));
  }

  @Test
  void noHistoryBeforeTheFirstDayMeansNoMase() {
    var m = new TreeMap<LocalDate, Double>(Map.of(ORIGIN.plusDays(1), 5.0));
    var scores = RealizedAccuracy.score(List.of(row("1", "X", 1, 6)), Map.of("X", m));
    assertThat(scores.get(0).mase()).isNull();
    assertThat(scores.get(0).mae()).isEqualTo(1.0);
  }

  /** Benchmark target (issue 22): scoring 10 series x 28 days of stored forecasts under 2 s. */
  @Test
  void tenSeriesBy28DaysScoreWellUnderTheTarget() {
    var forecasts = new ArrayList<PredictionRow>();
    var actuals = new java.util.HashMap<String, NavigableMap<LocalDate, Double>>();
    for (int s = 0; s < 10; s++) {
      var after = new double[28];
      java.util.Arrays.fill(after, 15);
      actuals.put("S" + s, actuals(after));
      for (int step = 1; step <= 28; step++) {
        forecasts.add(row("3", "S" + s, step, 14));
      }
    }
    long t0 = System.nanoTime();
    var scores = RealizedAccuracy.score(forecasts, actuals);
    long millis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(scores).hasSize(10).allSatisfy(s -> assertThat(s.points()).isEqualTo(28));
    System.out.println("realized accuracy of 10 series x 28 days scored in " + millis + " ms");
  }
}
