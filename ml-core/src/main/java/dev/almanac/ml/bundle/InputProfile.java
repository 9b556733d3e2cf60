package dev.almanac.ml.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.almanac.ml.data.Names;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a classifier's training inputs looked like ({@code input_profile.json}, optional, additive):
 * the fraction of training rows that name each symptom, keyed by the symptom's first spelling in
 * the header (as {@code BundleClassifier#symptoms()}). The server compares request frequencies with
 * these (input drift).
 *
 * @param rows training rows the frequencies are counted over
 * @param symptomFrequencies symptom → fraction of rows with it, 0..1
 */
public record InputProfile(int rows, Map<String, Double> symptomFrequencies) {
  public static final String FILE = "input_profile.json";

  public InputProfile {
    symptomFrequencies =
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(symptomFrequencies));
  }

  /**
   * Frequencies of a 0/1 symptom matrix; a symptom whose name appears in several columns
   * (duplicates in the header) counts once per row.
   */
  public static InputProfile of(List<String> columns, double[][] x) {
    Map<String, String> spelling = new LinkedHashMap<>();
    Map<String, List<Integer>> columnsByKey = new HashMap<>();
    for (int c = 0; c < columns.size(); c++) {
      String key = Names.key(columns.get(c));
      spelling.putIfAbsent(key, columns.get(c).strip());
      columnsByKey.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(c);
    }
    Map<String, Double> freq = new LinkedHashMap<>();
    spelling.forEach(
        (key, name) -> {
          int count = 0;
          for (double[] row : x) {
            for (int c : columnsByKey.get(key)) {
              if (row[c] != 0) {
                count++;
                break;
              }
            }
          }
          freq.put(name, x.length == 0 ? 0.0 : (double) count / x.length);
        });
    return new InputProfile(x.length, freq);
  }

  public String toJson() {
    try {
      return BundleJson.mapper().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The profile of a bundle directory, empty for bundles written before it existed. */
  public static Optional<InputProfile> read(Path bundleDir) {
    Path file = bundleDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(BundleJson.mapper().readValue(file.toFile(), InputProfile.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
