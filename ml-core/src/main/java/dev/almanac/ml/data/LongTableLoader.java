package dev.almanac.ml.data;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Streams a long-layout CSV such as OWID's {@code owid-covid-data.csv(.gz)} and keeps three columns
 * picked by name: time, series id and target. Rows whose {@code aggregateColumn} is empty are
 * aggregates (OWID World/continents/EU/International) and are skipped when no explicit series list
 * is given; selecting them by name still works.
 */
public final class LongTableLoader {
  private final String timeColumn;
  private final String seriesColumn;
  private final String targetColumn;
  private final String aggregateColumn;

  /**
   * @param seriesColumn null means the whole file is one series named {@code "series"}
   * @param aggregateColumn column whose empty value marks an aggregate row (OWID: {@code
   *     continent}); null disables
   */
  public LongTableLoader(
      String timeColumn, String seriesColumn, String targetColumn, String aggregateColumn) {
    this.timeColumn = timeColumn;
    this.seriesColumn = seriesColumn;
    this.targetColumn = targetColumn;
    this.aggregateColumn = aggregateColumn;
  }

  public static LongTableLoader owid(String targetColumn) {
    return new LongTableLoader("date", "iso_code", targetColumn, "continent");
  }

  /**
   * @param wanted series ids to keep, or empty for every non-aggregate series
   * @throws DataFormatException on a missing column, a bad date, a non-numeric cell or a wanted
   *     series that is absent
   */
  public LongTable load(Path file, Collection<String> wanted) {
    String name = file.toString();
    Set<String> want = new LinkedHashSet<>(wanted);
    Map<String, List<LocalDate>> dates = new LinkedHashMap<>();
    Map<String, DoubleList> values = new LinkedHashMap<>();
    Set<String> aggregates = new TreeSet<>();
    long rows = 0;
    String digest;
    try (CsvInput in = CsvInput.open(file);
        CsvReader<CsvRecord> csv = in.records()) {
      var it = csv.iterator();
      List<String> cols = in.header(it);
      int timeIdx = column(cols, timeColumn, name);
      int seriesIdx = seriesColumn == null ? -1 : column(cols, seriesColumn, name);
      int targetIdx = column(cols, targetColumn, name);
      int aggIdx = aggregateColumn == null ? -1 : cols.indexOf(aggregateColumn);
      while (it.hasNext()) {
        CsvRecord r = it.next();
        rows++;
        long line = r.getStartingLineNumber();
        if (r.getFieldCount() != cols.size()) {
          throw new DataFormatException(
              name,
              line,
              null,
              "expected " + cols.size() + " fields like the header, found " + r.getFieldCount());
        }
        String id = seriesIdx < 0 ? "series" : r.getField(seriesIdx);
        boolean aggregate = aggIdx >= 0 && r.getField(aggIdx).isEmpty();
        if (want.isEmpty()) {
          if (aggregate) {
            aggregates.add(id);
            continue;
          }
        } else if (!want.contains(id)) {
          continue;
        }
        LocalDate date = parseDate(r.getField(timeIdx), name, line, timeColumn);
        double v = parseNumber(r.getField(targetIdx), name, line, targetColumn);
        dates.computeIfAbsent(id, k -> new ArrayList<>()).add(date);
        values.computeIfAbsent(id, k -> new DoubleList()).add(v);
      }
      digest = in.sha256();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (UncheckedIOException e) {
      throw new DataFormatException(name, "cannot read: " + e.getCause().getMessage(), e);
    } catch (de.siegmar.fastcsv.reader.CsvParseException e) {
      throw new DataFormatException(name, "malformed CSV: " + e.getMessage(), e);
    }
    for (String id : want) {
      if (!dates.containsKey(id)) {
        throw new DataFormatException(name, -1, seriesColumn, "series '" + id + "' not found");
      }
    }
    Map<String, RawSeries> out = new LinkedHashMap<>();
    List<String> order =
        want.isEmpty() ? new ArrayList<>(new TreeSet<>(dates.keySet())) : new ArrayList<>(want);
    for (String id : order) {
      out.put(id, new RawSeries(id, dates.get(id), values.get(id).toArray()));
    }
    return new LongTable(out, new ArrayList<>(aggregates), rows, digest, name);
  }

  private static int column(List<String> header, String col, String file) {
    int idx = header.indexOf(col);
    if (idx < 0) {
      throw new DataFormatException(file, 1, col, "column not found in header " + header);
    }
    return idx;
  }

  static LocalDate parseDate(String s, String file, long line, String col) {
    try {
      return LocalDate.parse(s.trim());
    } catch (DateTimeParseException e) {
      throw new DataFormatException(file, line, col, "bad date '" + s + "', expected yyyy-MM-dd");
    }
  }

  static double parseNumber(String s, String file, long line, String col) {
    if (s.isEmpty()) {
      return Double.NaN;
    }
    try {
      double v = Double.parseDouble(s);
      if (Double.isInfinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new DataFormatException(file, line, col, "not a number: '" + s + "'");
    }
  }

  /**
   * Growable primitive list: the full OWID file has 84k rows and boxing them would triple memory.
   */
  private static final class DoubleList {
    private double[] a = new double[512];
    private int n;

    void add(double v) {
      if (n == a.length) {
        a = java.util.Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    double[] toArray() {
      return java.util.Arrays.copyOf(a, n);
    }
  }
}
