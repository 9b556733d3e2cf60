package dev.almanac.ml.data;

import java.time.LocalDate;
import java.util.List;

/**
 * One series as read from the file: dates in file order, values with NaN for an empty cell. Gaps,
 * duplicates and negative corrections are still there; cleaning happens later.
 */
public record RawSeries(String id, List<LocalDate> dates, double[] values) {
  public RawSeries {
    if (dates.size() != values.length) {
      throw new IllegalArgumentException("dates and values differ in length for series " + id);
    }
    dates = List.copyOf(dates);
  }

  public int size() {
    return values.length;
  }

  /** The rows dated on or before {@code asOf} (a data cutoff), in file order. */
  public RawSeries until(LocalDate asOf) {
    var keptDates = new java.util.ArrayList<LocalDate>(dates.size());
    var keptValues = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      if (!dates.get(i).isAfter(asOf)) {
        keptValues[keptDates.size()] = values[i];
        keptDates.add(dates.get(i));
      }
    }
    return keptDates.size() == values.length
        ? this
        : new RawSeries(id, keptDates, java.util.Arrays.copyOf(keptValues, keptDates.size()));
  }
}
