package dev.almanac.ml.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProphetModelTest {
  private static final LocalDate START = LocalDate.of(2020, 3, 2); // a Monday

  /** Slope 2/day, then 8/day from day 150; weekly pattern; small noise. */
  private static double[] series(int n, long seed) {
    double[] week = {30, 10, 0, -5, -10, -25, 0};
    Random r = new Random(seed);
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double trend = 500 + 2 * i + (i > 150 ? 6 * (i - 150) : 0);
      y[i] = trend + week[START.plusDays(i).getDayOfWeek().getValue() - 1] + r.nextGaussian() * 3;
    }
    return y;
  }

  @Test
  void recoversTrendChangeAndWeeklySeasonAndForecastsTheLine() {
    double[] y = series(300, 1);
    ProphetModel m = ProphetModel.fit(y, START);
    // trend slope before and after the change (per day, case scale)
    double before = m.trend(START.plusDays(100)) - m.trend(START.plusDays(99));
    double after = m.trend(START.plusDays(250)) - m.trend(START.plusDays(249));
    assertThat(before).isCloseTo(2.0, within(0.5));
    assertThat(after).isCloseTo(8.0, within(0.5));
    // weekly shape: Monday high, Saturday low, recovered to a few cases
    double mon = m.predict(START.plusDays(196)) - m.trend(START.plusDays(196));
    double sat = m.predict(START.plusDays(201)) - m.trend(START.plusDays(201));
    assertThat(mon - sat).isCloseTo(55.0, within(6.0));
    // a 28-day forecast follows the last slope and the season
    double[] f = m.forecast(START.plusDays(299), 28);
    double[] week = {30, 10, 0, -5, -10, -25, 0};
    for (int h = 0; h < 28; h++) {
      int i = 300 + h;
      double truth =
          500 + 2 * i + 6 * (i - 150) + week[START.plusDays(i).getDayOfWeek().getValue() - 1];
      assertThat(f[h]).isCloseTo(truth, within(0.03 * truth));
    }
  }

  @Test
  void deterministicAndSparseChangeRates() {
    double[] y = series(300, 7);
    ProphetModel a = ProphetModel.fit(y, START);
    ProphetModel b = ProphetModel.fit(y, START);
    assertThat(a.deltas()).containsExactly(b.deltas());
    assertThat(a.changepoints()).hasSize(25);
    assertThat(a.changepoints()[24]).isLessThanOrEqualTo(0.8);
    // the prior shrinks the rate changes: their sum is the slope change, spread near day 150
    double sum = 0;
    for (double d : a.deltas()) {
      sum += d;
    }
    assertThat(sum * a.yScale() / a.timeScale()).isCloseTo(6.0, within(0.6));
  }

  @Test
  void eventEffectIsFittedAndForecast() {
    double[] y = series(300, 3);
    LocalDate[] days = {
      START.plusDays(40), START.plusDays(110), START.plusDays(180), START.plusDays(250)
    };
    for (LocalDate d : days) {
      y[(int) (d.toEpochDay() - START.toEpochDay())] -= 200;
    }
    LocalDate future = START.plusDays(310);
    var o =
        ProphetModel.Options.parse(
            Map.of(
                "events",
                "drop=" + days[0] + ",drop=" + days[1] + ",drop=" + days[2] + ",drop=" + days[3]
                    + ",drop=" + future));
    ProphetModel m = ProphetModel.fit(y, START, o);
    assertThat(m.events()).hasSize(1);
    assertThat(m.events().get(0).effect() * m.yScale()).isCloseTo(-200, within(20.0));
    double[] f = m.forecast(START.plusDays(299), 14);
    double[] plain = ProphetModel.fit(series(300, 3), START).forecast(START.plusDays(299), 14);
    assertThat(f[10] - plain[10]).isCloseTo(-200, within(25.0));
    assertThat(f[9] - plain[9]).isCloseTo(0, within(10.0));
  }

  @Test
  void yearlySeasonOnlyWithTwoYears() {
    assertThat(ProphetModel.fit(series(300, 1), START).yearly()).isEmpty();
    assertThat(ProphetModel.fit(series(800, 1), START).yearly()).hasSize(20);
    assertThat(
            ProphetModel.fit(
                    series(300, 1), START, ProphetModel.Options.parse(Map.of("weeklyOrder", "0")))
                .weekly())
        .isEmpty();
  }

  @Test
  void badParamsNameTheProblem() {
    assertThatThrownBy(() -> ProphetModel.Options.parse(Map.of("changepoint", "3")))
        .hasMessageContaining("unknown Prophet parameter(s) [changepoint]");
    assertThatThrownBy(() -> ProphetModel.Options.parse(Map.of("changepointRange", "1.5")))
        .hasMessageContaining("changepointRange must be in (0, 1], got 1.5");
    assertThatThrownBy(() -> ProphetModel.Options.parse(Map.of("events", "xmas=2020-13-25")))
        .hasMessageContaining("'xmas=2020-13-25'");
    assertThatThrownBy(() -> ProphetModel.fit(new double[2], START))
        .hasMessageContaining("at least 3 days");
    assertThat(ProphetModel.Options.parse(Map.of()).events()).isEqualTo(List.of());
  }
}
