package dev.almanac.ml.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeaturePipelineTest {
  private final FeaturePipeline pipeline = new FeaturePipeline(FeatureSpec.defaults());

  /** y[t] = t + 1 for t = 0..19: 1, 2, ..., 20. */
  private static double[] ramp(int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = i + 1;
    }
    return v;
  }

  @Test
  void namesAreStableAndInAnchorOrder() {
    assertThat(pipeline.names())
        .containsExactly(
            "dow",
            "week",
            "month",
            "is_weekend",
            "lag_1",
            "lag_7",
            "lag_14",
            "roll_mean_7",
            "roll_std_7",
            "roll_mean_14",
            "roll_std_14",
            "diff_1",
            "pct_change_1");
    assertThat(pipeline.minHistory()).isEqualTo(14);
  }

  @Test
  void everyFeatureMatchesHandComputedValues() {
    double[] y = ramp(20);
    // Row for day index 15 (history y[0..15) = 1..15); 2021-01-03 + 15 days = 2021-01-18, a Monday
    // in ISO week 3.
    double[] row = pipeline.row(y, 15, LocalDate.of(2021, 1, 18), null);
    assertThat(row[0]).isEqualTo(0); // Monday
    assertThat(row[1]).isEqualTo(3); // ISO week
    assertThat(row[2]).isEqualTo(1); // January
    assertThat(row[3]).isEqualTo(0); // not weekend
    assertThat(row[4]).isEqualTo(15); // lag_1 = y[14]
    assertThat(row[5]).isEqualTo(9); // lag_7 = y[8]
    assertThat(row[6]).isEqualTo(2); // lag_14 = y[1]
    assertThat(row[7]).isEqualTo(12.0); // mean(9..15)
    assertThat(row[8])
        .isCloseTo(Math.sqrt(28.0 / 6.0), within(1e-12)); // std ddof=1 of 7 consecutive ints
    assertThat(row[9]).isEqualTo(8.5); // mean(2..15)
    assertThat(row[10]).isCloseTo(Math.sqrt(227.5 / 13.0), within(1e-12));
    assertThat(row[11]).isEqualTo(1.0); // 15 - 14
    assertThat(row[12]).isCloseTo(1.0 / 14.0, within(1e-15)); // (15-14)/14
  }

  @Test
  void weekendAndPercentChangeGuard() {
    double[] y = new double[16];
    y[15] = 5; // y[t-2] = 0 → pct_change 0
    double[] row = pipeline.row(y, 16, LocalDate.of(2021, 1, 17), null); // Sunday
    assertThat(row[0]).isEqualTo(6);
    assertThat(row[3]).isEqualTo(1);
    assertThat(row[11]).isEqualTo(5);
    assertThat(row[12]).isEqualTo(0);
  }

  @Test
  void matrixRowsUseOnlyThePastSoFutureValuesCannotLeak() {
    double[] y = ramp(40);
    FeatureMatrix m = pipeline.matrix(y, LocalDate.of(2021, 1, 1), null);
    double[] changed = y.clone();
    for (int i = 30; i < 40; i++) {
      changed[i] = 1e9; // the "holdout"
    }
    FeatureMatrix m2 = pipeline.matrix(changed, LocalDate.of(2021, 1, 1), null);
    // Rows predicting days 14..30 only look at days before 30: identical.
    for (int r = 0; r <= 30 - 14; r++) {
      assertThat(m2.x()[r]).containsExactly(m.x()[r]);
    }
    assertThat(m.rows()).isEqualTo(26);
    assertThat(m.y()[0]).isEqualTo(15); // target of the first row is y[14]
  }

  @Test
  void extraColumnsAreAppended() {
    FeaturePipeline g =
        new FeaturePipeline(FeatureSpec.defaults(), List.of("series_A", "series_B"));
    double[] row = g.row(ramp(20), 20, LocalDate.of(2021, 2, 1), new double[] {0, 1});
    assertThat(g.names()).endsWith("series_A", "series_B");
    assertThat(row).hasSize(15).endsWith(0.0, 1.0);
  }

  @Test
  void customSpecChangesWidthAndMinHistory() {
    FeaturePipeline p =
        new FeaturePipeline(new FeatureSpec(List.of(1, 28), List.of(3), false, false));
    assertThat(p.names()).containsExactly("lag_1", "lag_28", "roll_mean_3", "roll_std_3");
    assertThat(p.minHistory()).isEqualTo(28);
    assertThatThrownBy(() -> p.row(ramp(10), 10, LocalDate.of(2021, 1, 1), null))
        .hasMessageContaining("28");
  }
}
