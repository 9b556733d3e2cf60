package dev.almanac.ml.data;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins {@code symptom_Description.csv} and {@code symptom_precaution.csv} (no headers) to the
 * class labels by {@link Names#key}; names that still differ (e.g. {@code hemmorhoids} vs {@code
 * hemorrhoids}) fall back to the closest name within edit distance 2.
 */
public final class DiseaseInfoLoader {
  private DiseaseInfoLoader() {}

  public static Map<String, DiseaseInfo> load(
      Collection<String> labels, Path descriptions, Path precautions) {
    Map<String, String> desc =
        descriptions != null && Files.exists(descriptions) ? readPairs(descriptions) : Map.of();
    Map<String, List<String>> prec =
        precautions != null && Files.exists(precautions) ? readLists(precautions) : Map.of();
    Map<String, DiseaseInfo> out = new LinkedHashMap<>();
    for (String label : labels) {
      String d = lookup(desc, label);
      List<String> p = lookup(prec, label);
      out.put(label, new DiseaseInfo(d == null ? "" : d.strip(), p == null ? List.of() : p));
    }
    return out;
  }

  static <T> T lookup(Map<String, T> byKey, String label) {
    String key = Names.key(label);
    T exact = byKey.get(key);
    if (exact != null) {
      return exact;
    }
    String best = null;
    int bestDist = 3;
    for (String k : byKey.keySet()) {
      int d = Names.editDistance(k, key);
      if (d < bestDist) {
        bestDist = d;
        best = k;
      }
    }
    return best == null ? null : byKey.get(best);
  }

  private static Map<String, String> readPairs(Path file) {
    Map<String, String> out = new HashMap<>();
    for (CsvRecord r : read(file)) {
      if (r.getFieldCount() >= 2 && !r.getField(0).isBlank()) {
        out.put(Names.key(r.getField(0)), r.getField(1));
      }
    }
    return out;
  }

  private static Map<String, List<String>> readLists(Path file) {
    Map<String, List<String>> out = new HashMap<>();
    for (CsvRecord r : read(file)) {
      if (r.getFieldCount() < 1 || r.getField(0).isBlank()) {
        continue;
      }
      List<String> items = new ArrayList<>();
      for (int i = 1; i < r.getFieldCount(); i++) {
        String v = r.getField(i).strip();
        if (!v.isEmpty()) {
          items.add(v);
        }
      }
      out.put(Names.key(r.getField(0)), items);
    }
    return out;
  }

  private static List<CsvRecord> read(Path file) {
    try (CsvInput in = CsvInput.open(file);
        CsvReader<CsvRecord> csv =
            CsvReader.builder()
                .skipEmptyLines(true)
                .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
                .ofCsvRecord(in.reader())) {
      return csv.stream().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
