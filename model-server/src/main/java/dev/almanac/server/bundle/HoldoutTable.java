package dev.almanac.server.bundle;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import dev.almanac.ml.bundle.BundleFiles;
import dev.almanac.ml.bundle.HoldoutPrediction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code holdout_predictions.csv} of a bundle, grouped by series (ml-core writes it but has no reader
 * yet). Rows that do not parse are skipped: the table only feeds the dashboard chart.
 */
final class HoldoutTable {
  private final Map<String, List<HoldoutPrediction>> bySeries = new LinkedHashMap<>();

  static HoldoutTable read(Path bundleDir) {
    HoldoutTable t = new HoldoutTable();
    Path file = bundleDir.resolve(BundleFiles.HOLDOUT);
    if (!Files.isRegularFile(file)) {
      return t;
    }
    try (CsvReader<NamedCsvRecord> csv = CsvReader.builder().ofNamedCsvRecord(file)) {
      for (NamedCsvRecord r : csv) {
        try {
          HoldoutPrediction p = new HoldoutPrediction(r.getField("series"), LocalDate.parse(r.getField("date")),
              r.getField("model"), Double.parseDouble(r.getField("actual")), Double.parseDouble(r.getField("forecast")));
          t.bySeries.computeIfAbsent(p.series(), k -> new ArrayList<>()).add(p);
        } catch (RuntimeException e) {
          // a malformed line only costs the chart one point
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return t;
  }

  /** Rows of {@code series} predicted by {@code model} (or, if it has none, by the first model listed), by date. */
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
