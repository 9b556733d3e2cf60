package dev.almanac.ml.bundle;

import dev.almanac.ml.data.DiseaseInfo;
import dev.almanac.ml.data.Names;
import dev.almanac.ml.onnx.OnnxModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Symptoms → top-k diseases with probabilities, descriptions and precautions. Symptom names are
 * matched by {@link Names#key} (whitespace-free, case-insensitive), so {@code "spotting urination"}
 * and {@code "spotting_ urination"} are the same symptom; a symptom that appears twice in the
 * header ({@code fluid_overload}) sets both columns, as in the training data.
 */
public final class BundleClassifier {
  private final ClassificationSection section;
  private final OnnxModel model;
  private final Map<String, int[]> columnsByKey = new HashMap<>();

  public BundleClassifier(ClassificationSection section, OnnxModel model) {
    this.section = section;
    this.model = model;
    Map<String, List<Integer>> tmp = new HashMap<>();
    for (int i = 0; i < section.symptomColumns().size(); i++) {
      tmp.computeIfAbsent(Names.key(section.symptomColumns().get(i)), k -> new ArrayList<>())
          .add(i);
    }
    tmp.forEach((k, v) -> columnsByKey.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
  }

  /** Distinct symptom names the model knows (first spelling of each key, header order). */
  public List<String> symptoms() {
    List<String> out = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String c : section.symptomColumns()) {
      if (seen.add(Names.key(c))) {
        out.add(c.strip());
      }
    }
    return out;
  }

  public List<String> labels() {
    return section.labels();
  }

  /**
   * @throws IllegalArgumentException naming the first unknown symptom, or for an empty list / topK
   *     below 1
   */
  public List<DiseasePrediction> predict(List<String> symptoms, int topK) {
    return predictBatch(List.of(symptoms), topK).get(0);
  }

  /** Several requests in one ONNX call (the server's dynamic batching). */
  public List<List<DiseasePrediction>> predictBatch(List<List<String>> requests, int topK) {
    if (topK < 1) {
      throw new IllegalArgumentException("topK must be >= 1, got " + topK);
    }
    float[][] rows = new float[requests.size()][];
    for (int r = 0; r < requests.size(); r++) {
      rows[r] = encode(requests.get(r));
    }
    OnnxModel.Output probs = model.run(rows).get("probabilities");
    if (probs == null) {
      throw new IllegalStateException("classifier graph has no 'probabilities' output");
    }
    int c = section.labels().size();
    List<List<DiseasePrediction>> out = new ArrayList<>();
    for (int r = 0; r < rows.length; r++) {
      double[] p = new double[c];
      for (int k = 0; k < c; k++) {
        p[k] = probs.data()[r * c + k];
      }
      Integer[] order = new Integer[c];
      for (int k = 0; k < c; k++) {
        order[k] = k;
      }
      Arrays.sort(order, Comparator.comparingDouble((Integer k) -> -p[k]).thenComparing(k -> k));
      List<DiseasePrediction> top = new ArrayList<>();
      for (int i = 0; i < Math.min(topK, c); i++) {
        String label = section.labels().get(order[i]);
        DiseaseInfo info = section.diseases().getOrDefault(label, DiseaseInfo.empty());
        top.add(new DiseasePrediction(label, p[order[i]], info.description(), info.precautions()));
      }
      out.add(top);
    }
    return out;
  }

  /** The 0/1 feature row of a symptom list. */
  public float[] encode(List<String> symptoms) {
    if (symptoms == null || symptoms.isEmpty()) {
      throw new IllegalArgumentException("symptoms must name at least one symptom");
    }
    float[] row = new float[section.symptomColumns().size()];
    for (String s : symptoms) {
      int[] cols = columnsByKey.get(Names.key(s));
      if (cols == null) {
        throw new IllegalArgumentException("unknown symptom '" + s + "'");
      }
      for (int c : cols) {
        row[c] = 1f;
      }
    }
    return row;
  }
}
