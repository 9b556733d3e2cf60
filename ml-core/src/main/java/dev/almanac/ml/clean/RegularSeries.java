package dev.almanac.ml.clean;

import java.time.LocalDate;
import java.util.Arrays;

/**
 * A series on a complete daily calendar from {@code start}: no gaps, no NaN, no negatives. The
 * counters say what cleaning changed, for the run's lineage.
 */
public record RegularSeries(
    String id,
    LocalDate start,
    double[] values,
    int datesInserted,
    int missingFilled,
    int negativesClipped) {
  public int size() {
    return values.length;
  }

  public LocalDate date(int i) {
    return start.plusDays(i);
  }

  public LocalDate lastDate() {
    return start.plusDays(values.length - 1L);
  }

  /** The first {@code n} days (a training window). */
  public RegularSeries head(int n) {
    return new RegularSeries(
        id, start, Arrays.copyOf(values, n), datesInserted, missingFilled, negativesClipped);
  }

  /** The last {@code n} values (a holdout). */
  public double[] tail(int n) {
    return Arrays.copyOfRange(values, values.length - n, values.length);
  }
}
