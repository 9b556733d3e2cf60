package dev.almanac.server.bundle;

import dev.almanac.ml.bundle.HoldoutPrediction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The bundle's holdout predictions grouped by series, for the dashboard chart. */
final class HoldoutTable {
  private final Map<String, List<HoldoutPrediction>> bySeries = new LinkedHashMap<>();

  static HoldoutTable of(List<HoldoutPrediction> predictions) {
    HoldoutTable t = new HoldoutTable();
    for (HoldoutPrediction p : predictions) {
      t.bySeries.computeIfAbsent(p.series(), k -> new ArrayList<>()).add(p);
    }
    return t;
  }

  /**
   * Rows of {@code series} predicted by {@code model} (or, if it has none, by the first model
   * listed), by date.
   */
  List<HoldoutPrediction> rows(String series, String model) {
    List<HoldoutPrediction> all = bySeries.getOrDefault(series, List.of());
    List<HoldoutPrediction> mine = all.stream().filter(p -> p.model().equals(model)).toList();
    if (mine.isEmpty() && !all.isEmpty()) {
      String first = all.get(0).model();
      mine = all.stream().filter(p -> p.model().equals(first)).toList();
    }
    return mine.stream().sorted(java.util.Comparator.comparing(HoldoutPrediction::date)).toList();
  }
}
