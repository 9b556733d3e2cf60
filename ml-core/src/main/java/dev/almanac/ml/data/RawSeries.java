package dev.almanac.ml.data;

import java.time.LocalDate;
import java.util.List;

/**
 * One series as read from the file: dates in file order, values with NaN for an empty cell.
 * Gaps, duplicates and negative corrections are still there; cleaning happens later.
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
}
