package dev.almanac.trainer;

import dev.almanac.ml.bundle.ModelBundle;
import dev.almanac.ml.bundle.SeriesEntry;
import dev.almanac.ml.intervals.ConformalCalibration;
import dev.almanac.ml.intervals.IntervalBands;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The 80 % and 95 % prediction intervals of one batch forecast, as the CSV's interval columns and
 * the JSON's {@code intervals}; empty when the bundle has none (older bundles).
 */
record BatchIntervals(List<Double> levels, List<double[]> lower, List<double[]> upper) {
  private static final double[] CSV_LEVELS = {0.8, 0.95};

  static BatchIntervals of(ModelBundle bundle, String series, double[] forecast) {
    SeriesEntry e = bundle.metadata().forecast().series().get(series);
    IntervalBands b = e == null ? null : e.intervals();
    if (b == null || !ConformalCalibration.METHOD.equals(b.method())) {
      return new BatchIntervals(List.of(), List.of(), List.of());
    }
    List<Double> levels = new ArrayList<>();
    List<double[]> lo = new ArrayList<>();
    List<double[]> hi = new ArrayList<>();
    for (int l = 0; l < b.levels().length; l++) {
      levels.add(b.levels()[l]);
      lo.add(b.lower(l, forecast));
      hi.add(b.upper(l, forecast));
    }
    return new BatchIntervals(levels, lo, hi);
  }

  /** "lower_80,upper_80,lower_95,upper_95" of forecast day {@code i} (empty fields when absent). */
  String csvColumns(int i) {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < CSV_LEVELS.length; c++) {
      int l = levels.indexOf(CSV_LEVELS[c]);
      if (c > 0) {
        sb.append(',');
      }
      if (l >= 0) {
        sb.append(String.format(Locale.ROOT, "%.4f,%.4f", lower.get(l)[i], upper.get(l)[i]));
      } else {
        sb.append(',');
      }
    }
    return sb.toString();
  }

  /** [{level, lower, upper}, ...] for predictions.json. */
  List<Map<String, Object>> json() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int l = 0; l < levels.size(); l++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("level", levels.get(l));
      m.put("lower", lower.get(l));
      m.put("upper", upper.get(l));
      out.add(m);
    }
    return out;
  }
}
