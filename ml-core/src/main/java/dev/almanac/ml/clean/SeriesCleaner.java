package dev.almanac.ml.clean;

import dev.almanac.ml.data.RawSeries;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * Deterministic fixes applied to a whole series, the holdout actuals included (same rules as the
 * Python anchor's {@code regularize}): duplicate dates keep the last row, missing dates are
 * inserted, missing values are forward-filled (0 before the first observation), and negative
 * corrections are clipped to 0. Nothing here is estimated from the data, so there is no leakage.
 */
public final class SeriesCleaner {
  private SeriesCleaner() {}

  public static RegularSeries regularize(RawSeries raw) {
    if (raw.size() == 0) {
      throw new IllegalArgumentException("series " + raw.id() + " has no rows");
    }
    TreeMap<LocalDate, Double> byDate = new TreeMap<>();
    for (int i = 0; i < raw.size(); i++) {
      byDate.put(raw.dates().get(i), raw.values()[i]);
    }
    LocalDate start = byDate.firstKey();
    int n = (int) ChronoUnit.DAYS.between(start, byDate.lastKey()) + 1;
    double[] v = new double[n];
    Arrays.fill(v, Double.NaN);
    byDate.forEach((d, x) -> v[(int) ChronoUnit.DAYS.between(start, d)] = x);
    int inserted = n - byDate.size();
    int filled = 0;
    int clipped = 0;
    double last = 0.0;
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(v[i])) {
        v[i] = last;
        filled++;
      } else if (v[i] < 0) {
        // OWID writes revisions as negative days; a count cannot be negative.
        v[i] = 0.0;
        clipped++;
      }
      last = v[i];
    }
    return new RegularSeries(raw.id(), start, v, inserted, filled, clipped);
  }
}
