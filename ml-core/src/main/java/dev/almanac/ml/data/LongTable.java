package dev.almanac.ml.data;

import java.util.List;
import java.util.Map;

/** Series loaded from a long-layout CSV (one row per series and date), with the input's lineage. */
public record LongTable(
    Map<String, RawSeries> series,
    List<String> aggregatesSkipped,
    long rows,
    String sha256,
    String source) {
  public LongTable {
    series = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(series));
    aggregatesSkipped = List.copyOf(aggregatesSkipped);
  }

  /**
   * The table as if the data ended on {@code asOf}: later rows dropped, series left without rows
   * dropped. {@code sha256} and {@code source} stay those of the file that was read.
   */
  public LongTable until(java.time.LocalDate asOf) {
    var kept = new java.util.LinkedHashMap<String, RawSeries>();
    long rows = 0;
    for (var e : series.entrySet()) {
      var cut = e.getValue().until(asOf);
      if (cut.size() > 0) {
        kept.put(e.getKey(), cut);
        rows += cut.size();
      }
    }
    return new LongTable(kept, aggregatesSkipped, rows, sha256, source);
  }
}
