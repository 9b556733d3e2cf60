package dev.almanac.ml.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.almanac.ml.onnx.TensorSpec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a bundle directory (layout in docs/model-bundle.md). The default {@code model.onnx} is the
 * global model, the classifier, or (per-series forecasts) the first series' model; every series'
 * graph also lives under {@code series/}.
 */
public final class BundleWriter {
  private final Path dir;
  private final ObjectMapper json = BundleJson.mapper();
  private final Map<String, byte[]> onnxFiles = new LinkedHashMap<>();
  private String defaultOnnx;
  private BundleMetadata metadata;
  private Object metrics = Map.of();
  private List<HoldoutPrediction> holdout = List.of();
  private List<TensorSpec> inputs = List.of();
  private List<TensorSpec> outputs = List.of();
  private final Map<String, String> extraFiles = new LinkedHashMap<>();

  public BundleWriter(Path dir) {
    this.dir = dir;
  }

  /**
   * Adds an ONNX graph at {@code relativePath}; the first one added becomes {@code model.onnx}
   * unless told otherwise.
   */
  public BundleWriter onnx(String relativePath, byte[] bytes) {
    onnxFiles.put(relativePath, bytes);
    if (defaultOnnx == null) {
      defaultOnnx = relativePath;
    }
    return this;
  }

  public BundleWriter defaultOnnx(String relativePath) {
    this.defaultOnnx = relativePath;
    return this;
  }

  public BundleWriter metadata(BundleMetadata m) {
    this.metadata = m;
    return this;
  }

  public BundleWriter metrics(Object m) {
    this.metrics = m;
    return this;
  }

  public BundleWriter holdout(List<HoldoutPrediction> rows) {
    this.holdout = List.copyOf(rows);
    return this;
  }

  /** Any further file (e.g. a classifier's test_predictions.csv), relative to the bundle. */
  public BundleWriter file(String relativePath, String content) {
    extraFiles.put(relativePath, content);
    return this;
  }

  public BundleWriter signature(List<TensorSpec> in, List<TensorSpec> out) {
    this.inputs = List.copyOf(in);
    this.outputs = List.copyOf(out);
    return this;
  }

  public Path write() {
    if (metadata == null || defaultOnnx == null) {
      throw new IllegalStateException("a bundle needs metadata and at least one ONNX graph");
    }
    try {
      Files.createDirectories(dir);
      for (var e : onnxFiles.entrySet()) {
        Path p = dir.resolve(e.getKey());
        Files.createDirectories(p.getParent());
        Files.write(p, e.getValue());
      }
      if (!defaultOnnx.equals(BundleFiles.MODEL_ONNX)) {
        Files.write(dir.resolve(BundleFiles.MODEL_ONNX), onnxFiles.get(defaultOnnx));
      }
      json.writeValue(dir.resolve(BundleFiles.METADATA).toFile(), metadata);
      json.writeValue(dir.resolve(BundleFiles.METRICS).toFile(), metrics);
      if (metadata.data() != null) {
        json.writeValue(dir.resolve(BundleFiles.INPUT_DIGEST).toFile(), metadata.data());
      }
      writeHoldout(dir.resolve(BundleFiles.HOLDOUT));
      for (var e : extraFiles.entrySet()) {
        Files.writeString(dir.resolve(e.getKey()), e.getValue());
      }
      Map<String, String> mlMeta = new LinkedHashMap<>();
      mlMeta.put("almanac.task", metadata.task());
      mlMeta.put("almanac.name", metadata.name());
      mlMeta.put("almanac.version", metadata.version());
      mlMeta.put("almanac.format_version", String.valueOf(metadata.formatVersion()));
      if (metadata.data() != null) {
        mlMeta.put("almanac.data_sha256", metadata.data().sha256());
      }
      MlModelFile.create(inputs, outputs, mlMeta).write(dir.resolve(BundleFiles.MLMODEL));
      Files.writeString(
          dir.resolve(BundleFiles.REQUIREMENTS),
          MlModelFile.MLFLOW_REQUIREMENT + "\nonnx\nonnxruntime\n");
      Files.writeString(
          dir.resolve(BundleFiles.PYTHON_ENV),
          "python: "
              + MlModelFile.PYTHON_VERSION
              + "\nbuild_dependencies:\n- pip\ndependencies:\n- -r requirements.txt\n");
      Files.writeString(
          dir.resolve(BundleFiles.CONDA),
          "channels:\n- conda-forge\ndependencies:\n- python="
              + MlModelFile.PYTHON_VERSION
              + "\n- pip\n- pip:\n  - "
              + MlModelFile.MLFLOW_REQUIREMENT
              + "\n  - onnx\n  - onnxruntime\nname: mlflow-env\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write bundle to " + dir, e);
    }
  }

  private void writeHoldout(Path file) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("series,date,model,actual,forecast\n");
      for (HoldoutPrediction h : holdout) {
        w.write(
            csv(h.series())
                + ","
                + h.date()
                + ","
                + csv(h.model())
                + ","
                + num(h.actual())
                + ","
                + num(h.forecast())
                + "\n");
      }
    }
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static String csv(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
