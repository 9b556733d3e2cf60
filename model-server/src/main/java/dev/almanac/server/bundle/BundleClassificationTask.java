package dev.almanac.server.bundle;

import dev.almanac.ml.bundle.BundleClassifier;
import dev.almanac.ml.bundle.ClassificationSection;
import dev.almanac.ml.bundle.ModelBundle;
import dev.almanac.ml.data.DiseaseInfo;
import dev.almanac.ml.data.Names;
import dev.almanac.server.model.ClassificationTask;
import dev.almanac.server.model.Tensor;
import dev.almanac.server.model.TensorModel;
import dev.almanac.server.monitoring.InputDriftMonitor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Top-k diseases of a bundle. ml-core's {@code BundleClassifier} turns symptoms into the feature
 * row (name matching, duplicate columns); a dynamically batched matrix of rows runs through the
 * bundle's ONNX session seen as tensors ({@link TensorModel}), one call per batch.
 */
final class BundleClassificationTask implements ClassificationTask {
  private static final String PROBABILITIES = "probabilities";

  private final BundleClassifier classifier;
  private final ClassificationSection section;
  private final TensorModel tensors;
  private final int probabilitiesIndex;
  private static final int MAX_REMEMBERED_SPELLINGS = 4096;

  private final Set<String> knownKeys = new HashSet<>();
  private final Set<String> knownSpellings = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final List<String> symptoms;
  private final Map<String, Double> metrics;
  private final InputDriftMonitor drift;

  BundleClassificationTask(ModelBundle bundle, TensorModel tensors) {
    this(bundle, tensors, null);
  }

  /**
   * @param drift counts every request's symptoms against the training frequencies; null for none
   */
  BundleClassificationTask(ModelBundle bundle, TensorModel tensors, InputDriftMonitor drift) {
    this.drift = drift;
    this.classifier = bundle.classifier();
    this.section = bundle.metadata().classification();
    this.tensors = tensors;
    int idx = -1;
    for (int i = 0; i < tensors.outputs().size(); i++) {
      if (tensors.outputs().get(i).name().equals(PROBABILITIES)) {
        idx = i;
      }
    }
    if (idx < 0 || tensors.inputs().size() != 1) {
      throw new IllegalArgumentException(
          "classification bundle "
              + bundle.dir()
              + ": model.onnx needs one input and a '"
              + PROBABILITIES
              + "' output, has "
              + tensors.inputs()
              + " -> "
              + tensors.outputs());
    }
    this.probabilitiesIndex = idx;
    bundle.metadata().classification().symptomColumns().forEach(c -> knownKeys.add(Names.key(c)));
    this.symptoms = classifier.symptoms();
    this.metrics =
        MetricsFlattening.overall(MetricsFlattening.flatten(bundle.metrics()), List.of(), null, 60);
    if (symptoms.isEmpty() || classifier.labels().isEmpty()) {
      throw new IllegalArgumentException(
          "classification bundle " + bundle.dir() + " has no symptoms or no labels");
    }
  }

  @Override
  public List<String> symptoms() {
    return symptoms;
  }

  @Override
  public List<String> classes() {
    return classifier.labels();
  }

  @Override
  public List<String> unknown(List<String> requested) {
    List<String> out = new ArrayList<>();
    for (String s : requested) {
      if (!known(s)) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * Whether a spelling names a known symptom. Known spellings are remembered ({@code Names.key}
   * runs a regex, a sixth of a request's CPU); the memo is bounded, since clients can send any
   * string.
   */
  private boolean known(String spelling) {
    if (knownSpellings.contains(spelling)) {
      return true;
    }
    boolean known = knownKeys.contains(Names.key(spelling));
    if (known && knownSpellings.size() < MAX_REMEMBERED_SPELLINGS) {
      knownSpellings.add(spelling);
    }
    return known;
  }

  @Override
  public List<List<Diagnosis>> predictBatch(List<List<String>> requests, int topK) {
    int n = requests.size();
    int width = section.symptomColumns().size();
    float[] x = new float[n * width];
    for (int r = 0; r < n; r++) {
      System.arraycopy(classifier.encode(requests.get(r)), 0, x, r * width, width);
    }
    if (drift != null) {
      drift.observe(x, n, width);
    }
    Tensor in = Tensor.ofFloats(tensors.inputs().get(0).name(), x, n, width);
    float[] p = tensors.run(List.of(in)).get(probabilitiesIndex).floats();
    int c = section.labels().size();
    List<List<Diagnosis>> out = new ArrayList<>(n);
    for (int r = 0; r < n; r++) {
      out.add(top(p, r * c, c, topK));
    }
    return out;
  }

  /**
   * The k most probable labels of one row, ties by label order (as ml-core ranks them): k selection
   * passes, cheaper than sorting all classes for the usual k of 3.
   */
  private List<Diagnosis> top(float[] p, int offset, int c, int k) {
    int n = Math.min(k, c);
    boolean[] taken = new boolean[c];
    List<Diagnosis> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int best = -1;
      for (int j = 0; j < c; j++) {
        // the earlier comparator's order: higher probability first, equal ones by label index
        if (!taken[j]
            && (best < 0
                || (p[offset + j] != p[offset + best]
                    && Float.compare(p[offset + j], p[offset + best]) > 0))) {
          best = j;
        }
      }
      taken[best] = true;
      String label = section.labels().get(best);
      DiseaseInfo info = section.diseases().getOrDefault(label, DiseaseInfo.empty());
      out.add(new Diagnosis(label, p[offset + best], info.description(), info.precautions()));
    }
    return out;
  }

  @Override
  public Map<String, Double> metrics() {
    return metrics;
  }
}
