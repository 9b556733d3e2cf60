package dev.almanac.server.bundle;

import dev.almanac.ml.bundle.BundleClassifier;
import dev.almanac.ml.bundle.ClassificationSection;
import dev.almanac.ml.bundle.ModelBundle;
import dev.almanac.ml.data.DiseaseInfo;
import dev.almanac.ml.data.Names;
import dev.almanac.server.model.ClassificationTask;
import dev.almanac.server.model.Tensor;
import dev.almanac.server.model.TensorModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Top-k diseases of a bundle. ml-core's {@code BundleClassifier} turns symptoms into the feature row
 * (name matching, duplicate columns); the row runs through the server's single-threaded ONNX Runtime
 * session ({@link TensorModel}) instead of ml-core's {@code OnnxModel}, whose default session spins
 * an intra-op thread pool on batches (measured: ~2× the CPU per request at 16 connections).
 */
final class BundleClassificationTask implements ClassificationTask {
  private static final String PROBABILITIES = "probabilities";

  private final BundleClassifier classifier;
  private final ClassificationSection section;
  private final TensorModel tensors;
  private final int probabilitiesIndex;
  private final Set<String> knownKeys = new HashSet<>();
  private final List<String> symptoms;
  private final Map<String, Double> metrics;

  BundleClassificationTask(ModelBundle bundle, TensorModel tensors) {
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
      throw new IllegalArgumentException("classification bundle " + bundle.dir() + ": model.onnx needs one input and a '"
          + PROBABILITIES + "' output, has " + tensors.inputs() + " -> " + tensors.outputs());
    }
    this.probabilitiesIndex = idx;
    bundle.metadata().classification().symptomColumns().forEach(c -> knownKeys.add(Names.key(c)));
    this.symptoms = classifier.symptoms();
    this.metrics = MetricsFlattening.overall(MetricsFlattening.flatten(bundle.metrics()), List.of(), 40);
    if (symptoms.isEmpty() || classifier.labels().isEmpty()) {
      throw new IllegalArgumentException("classification bundle " + bundle.dir() + " has no symptoms or no labels");
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
      if (!knownKeys.contains(Names.key(s))) {
        out.add(s);
      }
    }
    return out;
  }

  @Override
  public List<List<Diagnosis>> predictBatch(List<List<String>> requests, int topK) {
    int n = requests.size();
    int width = section.symptomColumns().size();
    float[] x = new float[n * width];
    for (int r = 0; r < n; r++) {
      System.arraycopy(classifier.encode(requests.get(r)), 0, x, r * width, width);
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

  /** The k most probable labels of one row, ties by label order (as ml-core ranks them). */
  private List<Diagnosis> top(float[] p, int offset, int c, int k) {
    Integer[] order = new Integer[c];
    for (int i = 0; i < c; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> p[offset + a] != p[offset + b] ? Float.compare(p[offset + b], p[offset + a]) : Integer.compare(a, b));
    List<Diagnosis> out = new ArrayList<>(Math.min(k, c));
    for (int i = 0; i < Math.min(k, c); i++) {
      String label = section.labels().get(order[i]);
      DiseaseInfo info = section.diseases().getOrDefault(label, DiseaseInfo.empty());
      out.add(new Diagnosis(label, p[offset + order[i]], info.description(), info.precautions()));
    }
    return out;
  }

  @Override
  public Map<String, Double> metrics() {
    return metrics;
  }
}
