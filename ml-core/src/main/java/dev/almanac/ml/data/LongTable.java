package dev.almanac.ml.data;

import java.util.List;
import java.util.Map;

/** Series loaded from a long-layout CSV (one row per series and date), with the input's lineage. */
public record LongTable(Map<String, RawSeries> series, List<String> aggregatesSkipped, long rows, String sha256, String source) {
  public LongTable {
    series = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(series));
    aggregatesSkipped = List.copyOf(aggregatesSkipped);
  }
}
