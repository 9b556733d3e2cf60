package dev.almanac.ml.data;

import java.util.List;

/**
 * A symptom/diagnosis table: {@code columns} are the feature columns as written in the header
 * (duplicates such as {@code fluid_overload} kept, addressed by position), {@code labels} the
 * cleaned label of every row and {@code x} the 0/1 matrix.
 */
public record SymptomTable(
    List<String> columns, List<String> labels, double[][] x, String sha256, String source) {
  public SymptomTable {
    columns = List.copyOf(columns);
    labels = List.copyOf(labels);
  }

  public int rows() {
    return x.length;
  }
}
