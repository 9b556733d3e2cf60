package dev.almanac.ml.clean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.almanac.ml.data.RawSeries;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class CleaningTest {
  private static final LocalDate D = LocalDate.of(2021, 3, 1);

  @Test
  void regularizeFillsDatesForwardFillsAndClipsNegatives() {
    // Unsorted, a duplicate (last wins), a gap on D+2, NaN on D+3, a negative correction on D+4.
    RawSeries raw =
        new RawSeries(
            "X",
            List.of(D.plusDays(1), D, D.plusDays(1), D.plusDays(3), D.plusDays(4), D.plusDays(5)),
            new double[] {9, 5, 7, Double.NaN, -20, 4});
    RegularSeries s = SeriesCleaner.regularize(raw);
    assertThat(s.start()).isEqualTo(D);
    assertThat(s.values()).containsExactly(5, 7, 7, 7, 0, 4);
    assertThat(s.datesInserted()).isEqualTo(1);
    assertThat(s.missingFilled()).isEqualTo(2);
    assertThat(s.negativesClipped()).isEqualTo(1);
    assertThat(s.lastDate()).isEqualTo(D.plusDays(5));
  }

  @Test
  void leadingMissingValuesBecomeZero() {
    RawSeries raw = new RawSeries("X", List.of(D, D.plusDays(1)), new double[] {Double.NaN, 3});
    assertThat(SeriesCleaner.regularize(raw).values()).containsExactly(0, 3);
  }

  @Test
  void hampelClipsASpikeToTheThresholdAndLeavesOrdinaryValues() {
    double[] x = new double[31];
    for (int i = 0; i < x.length; i++) {
      x[i] = 100 + (i % 3); // 100, 101, 102, ...
    }
    x[15] = 10_000;
    HampelWinsorizer.Result r = HampelWinsorizer.winsorizeUpper(x);
    assertThat(r.clipped()).isEqualTo(1);
    // window x[8..22]: median 101, |dev| median 1 → threshold 101 + 5*1.4826*1
    assertThat(r.values()[15]).isCloseTo(101 + 5 * 1.4826, within(1e-9));
    assertThat(r.values()[14]).isEqualTo(x[14]);
  }

  @Test
  void winsorizingTheTrainingWindowIgnoresLaterValues() {
    double[] full = new double[60];
    for (int i = 0; i < full.length; i++) {
      full[i] = 50 + (i % 7);
    }
    full[55] = 1e7; // a holdout spike
    double[] train = java.util.Arrays.copyOf(full, 40);
    double[] a = HampelWinsorizer.winsorizeUpper(train).values();
    full[45] = -3; // change the holdout again: training result must not move
    double[] b = HampelWinsorizer.winsorizeUpper(java.util.Arrays.copyOf(full, 40)).values();
    assertThat(a).containsExactly(b);
  }

  @Test
  void scalerIsFittedOnTheTrainingWindowOnly() {
    double[] series = {1, 2, 3, 4, 1000};
    SeriesScaler sc = SeriesScaler.fit(java.util.Arrays.copyOf(series, 4));
    assertThat(sc.mean()).isEqualTo(2.5);
    assertThat(sc.sd()).isCloseTo(Math.sqrt(1.25), within(1e-12)); // population sd
    assertThat(sc.inverse(sc.forward(1000))).isCloseTo(1000, within(1e-9));
    assertThat(SeriesScaler.fit(new double[] {3, 3, 3}).sd()).isEqualTo(1.0);
  }
}
