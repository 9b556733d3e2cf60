package dev.almanac.ml.data;

import java.util.List;

/** What the server shows next to a predicted disease. */
public record DiseaseInfo(String description, List<String> precautions) {
  public DiseaseInfo {
    precautions = List.copyOf(precautions);
  }

  public static DiseaseInfo empty() {
    return new DiseaseInfo("", List.of());
  }
}
