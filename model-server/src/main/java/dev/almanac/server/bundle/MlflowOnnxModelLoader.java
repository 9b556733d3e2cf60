package dev.almanac.server.bundle;

import dev.almanac.ml.onnx.OnnxModel;
import dev.almanac.ml.onnx.TensorSpec;
import dev.almanac.registry.MlflowModelMetadata;
import dev.almanac.registry.MlflowModelMetadata.SignatureTensor;
import dev.almanac.registry.RegistryException;
import dev.almanac.server.metrics.ServerMetrics;
import dev.almanac.server.model.BatchSettings;
import dev.almanac.server.model.ModelLoadException;
import dev.almanac.server.model.OnnxTensorModel;
import dev.almanac.server.model.ServedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves a model directory that MLflow's Python client logged ({@code mlflow.onnx.log_model}): no
 * Almanac bundle, only {@code MLmodel} and the ONNX file of its {@code onnx} flavor. The model is
 * served as raw tensors (KServe V2 infer), inputs and outputs taken from the ONNX graph; the
 * graph's inputs must match the MLflow signature, so a model logged with the wrong example fails to
 * load instead of answering nonsense.
 */
final class MlflowOnnxModelLoader {
  static final String TASK_INFO = "mlflow-onnx";

  private final BatchSettings batching;
  private final ServerMetrics metrics;

  MlflowOnnxModelLoader(BatchSettings batching, ServerMetrics metrics) {
    this.batching = batching;
    this.metrics = metrics;
  }

  /** Whether {@code dir} is an MLflow model directory rather than an Almanac bundle. */
  static boolean isMlflowModel(Path dir, String bundleMetadataFile) {
    return !Files.exists(dir.resolve(bundleMetadataFile))
        && Files.isRegularFile(dir.resolve(MlflowModelMetadata.FILE));
  }

  ServedModel load(Path dir, String source, String servedName, String version)
      throws ModelLoadException {
    MlflowModelMetadata mlmodel;
    try {
      mlmodel =
          MlflowModelMetadata.parse(
              Files.readString(dir.resolve(MlflowModelMetadata.FILE)), source + " MLmodel");
    } catch (IOException | RegistryException e) {
      throw new ModelLoadException("cannot load " + source + ": " + e.getMessage(), e);
    }
    if (!mlmodel.hasOnnxFlavor()) {
      throw new ModelLoadException(
          "cannot load " + source + ": " + mlmodel.noOnnxFlavor(source).getMessage());
    }
    Path onnxFile = dir.resolve(mlmodel.onnxFile().orElseThrow()).normalize();
    if (!onnxFile.startsWith(dir.normalize())) {
      throw new ModelLoadException(
          "cannot load " + source + ": MLmodel names an ONNX file outside the model directory");
    }
    OnnxModel onnx;
    try {
      onnx = OnnxModel.load(onnxFile);
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException("cannot load " + source + ": " + e.getMessage(), e);
    }
    try {
      var mismatch = signatureMismatch(onnx.inputs(), mlmodel.signatureInputs());
      if (mismatch != null) {
        throw new ModelLoadException(
            "cannot load "
                + source
                + ": ONNX inputs do not match the MLflow signature: "
                + mismatch);
      }
      var tensors = new OnnxTensorModel(onnx);
      return new ServedModel(
          servedName,
          version,
          source,
          tensors,
          null,
          null,
          info(mlmodel, onnxFile),
          batching,
          metrics.model(servedName, version),
          onnx);
    } catch (ModelLoadException e) {
      onnx.close();
      throw e;
    } catch (RuntimeException e) {
      onnx.close();
      throw new ModelLoadException("cannot load " + source + ": " + e.getMessage(), e);
    }
  }

  /**
   * Why the graph's inputs and the signature's disagree, or null when they agree (or the model was
   * logged without a signature, which MLflow allows). A tensor signature must list the graph's
   * inputs (by name when it names them, else in order) with their dtype and rank; a column
   * signature must have as many columns as the graph's one 2-D input has features.
   */
  static String signatureMismatch(List<TensorSpec> graph, List<SignatureTensor> signature) {
    if (signature.isEmpty()) {
      return null;
    }
    boolean columns = signature.stream().allMatch(s -> s.shape().isEmpty());
    if (columns) {
      if (graph.size() == 1 && graph.get(0).shape().size() == 2) {
        long width = graph.get(0).shape().get(1);
        return width < 0 || width == signature.size()
            ? null
            : "the graph's input "
                + describe(graph)
                + " takes "
                + width
                + " features, the signature has "
                + signature.size()
                + " columns";
      }
      return null;
    }
    if (graph.size() != signature.size()) {
      return "graph inputs " + describe(graph) + ", signature inputs " + describeSig(signature);
    }
    boolean named = signature.stream().noneMatch(s -> s.name().isEmpty());
    for (int i = 0; i < graph.size(); i++) {
      var g = graph.get(i);
      SignatureTensor s;
      if (named) {
        s = signature.stream().filter(x -> x.name().equals(g.name())).findFirst().orElse(null);
        if (s == null) {
          return "graph input '"
              + g.name()
              + "' is not in the signature "
              + describeSig(signature)
              + " (graph inputs "
              + describe(graph)
              + ")";
        }
      } else {
        s = signature.get(i);
      }
      if (!s.dtype().equals(g.dtype()) || !sameShape(g.shape(), s.shape())) {
        return "graph input "
            + describe(List.of(g))
            + ", signature says "
            + describeSig(List.of(s));
      }
    }
    return null;
  }

  /** Same rank, and every dimension fixed on both sides equal (-1 is variable). */
  private static boolean sameShape(List<Long> graph, List<Long> signature) {
    if (graph.size() != signature.size()) {
      return false;
    }
    for (int i = 0; i < graph.size(); i++) {
      long a = graph.get(i);
      long b = signature.get(i);
      if (a >= 0 && b >= 0 && a != b) {
        return false;
      }
    }
    return true;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String describe(List<TensorSpec> specs) {
    var out = new ArrayList<String>();
    specs.forEach(s -> out.add(s.name() + " " + s.dtype() + " " + s.shape()));
    return out.toString();
  }

  private static String describeSig(List<SignatureTensor> specs) {
    var out = new ArrayList<String>();
    specs.forEach(
        s ->
            out.add(
                (s.name().isEmpty() ? "(unnamed)" : s.name()) + " " + s.dtype() + " " + s.shape()));
    return out.toString();
  }

  private static Map<String, String> info(MlflowModelMetadata m, Path onnxFile) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("format", TASK_INFO);
    out.put("flavors", String.join(", ", m.flavors()));
    m.mlflowVersion().ifPresent(v -> out.put("mlflowVersion", v));
    m.modelId().ifPresent(v -> out.put("modelId", v));
    // MLflow records no digest: this one is for the record (what this server loaded)
    try (var in = new DigestInputStream(Files.newInputStream(onnxFile), sha256())) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      out.put("onnxSha256", HexFormat.of().formatHex(in.getMessageDigest().digest()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + onnxFile, e);
    }
    return out;
  }
}
