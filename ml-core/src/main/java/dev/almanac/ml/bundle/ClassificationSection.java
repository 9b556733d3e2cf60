package dev.almanac.ml.bundle;

import dev.almanac.ml.data.DiseaseInfo;
import java.util.List;
import java.util.Map;

/**
 * Classification part of the bundle metadata: class labels in output order, the feature columns as
 * in the training header (duplicates kept: a symptom sets every column with its {@code Names.key}),
 * and the description/precautions per label.
 */
public record ClassificationSection(
    String labelColumn,
    String model,
    List<String> labels,
    List<String> symptomColumns,
    Map<String, DiseaseInfo> diseases) {
  public ClassificationSection {
    labels = List.copyOf(labels);
    symptomColumns = List.copyOf(symptomColumns);
    diseases = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(diseases));
  }
}
