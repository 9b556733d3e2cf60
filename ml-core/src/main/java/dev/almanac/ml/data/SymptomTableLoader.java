package dev.almanac.ml.data;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code Training.csv}/{@code Testing.csv}: binary symptom columns plus a label column picked
 * by name. Columns are addressed by position because the header repeats {@code fluid_overload}; a
 * trailing empty header cell (Kaggle's original file) is ignored; CRLF and LF both work.
 */
public final class SymptomTableLoader {
  private final String labelColumn;

  public SymptomTableLoader(String labelColumn) {
    this.labelColumn = labelColumn;
  }

  public SymptomTable load(Path file) {
    String name = file.toString();
    List<String> labels = new ArrayList<>();
    List<double[]> rows = new ArrayList<>();
    List<String> features = new ArrayList<>();
    String digest;
    try (CsvInput in = CsvInput.open(file);
        CsvReader<CsvRecord> csv = in.records()) {
      var it = csv.iterator();
      List<String> header = in.header(it);
      int labelIdx = -1;
      List<Integer> featureIdx = new ArrayList<>();
      for (int i = 0; i < header.size(); i++) {
        String h = header.get(i);
        if (h.strip().equals(labelColumn)) {
          if (labelIdx >= 0) {
            throw new DataFormatException(name, 1, labelColumn, "label column appears twice");
          }
          labelIdx = i;
        } else if (!h.isBlank()) {
          featureIdx.add(i);
          features.add(h);
        }
      }
      if (labelIdx < 0) {
        throw new DataFormatException(name, 1, labelColumn, "label column not found in header");
      }
      while (it.hasNext()) {
        CsvRecord r = it.next();
        long line = r.getStartingLineNumber();
        if (r.getFieldCount() < header.size() && r.getFieldCount() <= labelIdx) {
          throw new DataFormatException(
              name,
              line,
              null,
              "expected " + header.size() + " fields like the header, found " + r.getFieldCount());
        }
        double[] x = new double[featureIdx.size()];
        for (int j = 0; j < x.length; j++) {
          int c = featureIdx.get(j);
          String cell = c < r.getFieldCount() ? r.getField(c).strip() : "";
          double v = LongTableLoader.parseNumber(cell, name, line, header.get(c));
          if (Double.isNaN(v)) {
            throw new DataFormatException(name, line, header.get(c), "empty cell, expected 0 or 1");
          }
          x[j] = v;
        }
        String label = Names.label(r.getField(labelIdx));
        if (label.isEmpty()) {
          throw new DataFormatException(name, line, labelColumn, "empty label");
        }
        labels.add(label);
        rows.add(x);
      }
      digest = in.sha256();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (CsvParseException e) {
      throw new DataFormatException(name, "malformed CSV: " + e.getMessage(), e);
    }
    return new SymptomTable(features, labels, rows.toArray(new double[0][]), digest, name);
  }
}
