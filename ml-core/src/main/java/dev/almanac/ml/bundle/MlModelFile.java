package dev.almanac.ml.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.almanac.ml.onnx.TensorSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The MLflow {@code MLmodel} file of a bundle: {@code onnx} and {@code python_function} flavors
 * (loader {@code mlflow.onnx}, so {@code mlflow.pyfunc.load_model} works on the directory) and a
 * tensor-based {@code signature}. Almanac's own identity goes into MLflow's free-form {@code
 * metadata} (with the bundle format version), and no {@code mlflow_version} is claimed: the file is
 * written by Almanac, not by a Python MLflow. The registry adds {@code model_id} when the bundle
 * becomes an MLflow 3 logged model.
 */
public record MlModelFile(
    String modelUuid,
    String created,
    String onnxFile,
    List<TensorSpec> inputs,
    List<TensorSpec> outputs,
    Map<String, String> metadata) {
  /**
   * The MLflow releases that load a bundle (Python interop tests run 2.22 and 3.x): what {@code
   * requirements.txt} and {@code conda.yaml} ask for. No {@code mlflow_version} goes into {@code
   * MLmodel}: no Python MLflow wrote the file, and MLflow reads a missing one as unknown.
   */
  static final String MLFLOW_REQUIREMENT = "mlflow>=2.22,<4";

  static final String ONNX_VERSION = "1.17.0";
  static final String PYTHON_VERSION = "3.11.7";
  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .disable(YAMLGenerator.Feature.SPLIT_LINES));
  private static final ObjectMapper JSON = new ObjectMapper();

  public static MlModelFile create(
      List<TensorSpec> inputs, List<TensorSpec> outputs, Map<String, String> metadata) {
    String created =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC)
            .format(Instant.now());
    return new MlModelFile(
        UUID.randomUUID().toString().replace("-", ""),
        created,
        BundleFiles.MODEL_ONNX,
        inputs,
        outputs,
        metadata);
  }

  public void write(Path file) {
    Map<String, Object> onnx = new LinkedHashMap<>();
    onnx.put("code", null);
    onnx.put("data", onnxFile);
    onnx.put("onnx_version", ONNX_VERSION);
    onnx.put("providers", List.of("CPUExecutionProvider"));
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("conda", BundleFiles.CONDA);
    env.put("virtualenv", BundleFiles.PYTHON_ENV);
    Map<String, Object> pyfunc = new LinkedHashMap<>();
    pyfunc.put("data", onnxFile);
    pyfunc.put("env", env);
    pyfunc.put("loader_module", "mlflow.onnx");
    pyfunc.put("python_version", PYTHON_VERSION);
    Map<String, Object> flavors = new LinkedHashMap<>();
    flavors.put("onnx", onnx);
    flavors.put("python_function", pyfunc);
    Map<String, Object> sig = new LinkedHashMap<>();
    sig.put("inputs", specJson(inputs));
    sig.put("outputs", specJson(outputs));
    sig.put("params", null);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("artifact_path", "model");
    root.put("flavors", flavors);
    root.put("model_size_bytes", null);
    root.put("model_uuid", modelUuid);
    root.put("signature", sig);
    root.put("utc_time_created", created);
    root.put("metadata", metadata);
    try {
      YAML.writeValue(file.toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static MlModelFile read(Path file) {
    try {
      JsonNode root = YAML.readTree(file.toFile());
      JsonNode onnx = root.path("flavors").path("onnx");
      if (onnx.isMissingNode()) {
        throw new IllegalArgumentException(file + ": no onnx flavor");
      }
      JsonNode sig = root.path("signature");
      Map<String, String> meta = new LinkedHashMap<>();
      root.path("metadata").properties().forEach(e -> meta.put(e.getKey(), e.getValue().asText()));
      return new MlModelFile(
          root.path("model_uuid").asText(),
          root.path("utc_time_created").asText(),
          onnx.path("data").asText(BundleFiles.MODEL_ONNX),
          parseSpecs(sig.path("inputs").asText("[]")),
          parseSpecs(sig.path("outputs").asText("[]")),
          meta);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** MLflow stores each signature side as a JSON string inside the YAML. */
  private static String specJson(List<TensorSpec> specs) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (TensorSpec s : specs) {
      Map<String, Object> ts = new LinkedHashMap<>();
      ts.put("dtype", s.dtype());
      ts.put("shape", s.shape());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", "tensor");
      m.put("tensor-spec", ts);
      m.put("name", s.name());
      out.add(m);
    }
    try {
      return JSON.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<TensorSpec> parseSpecs(String json) throws IOException {
    List<TensorSpec> out = new ArrayList<>();
    for (JsonNode n : JSON.readTree(json)) {
      List<Long> shape =
          JSON.convertValue(
              n.path("tensor-spec").path("shape"), new TypeReference<List<Long>>() {});
      out.add(
          new TensorSpec(
              n.path("name").asText(), n.path("tensor-spec").path("dtype").asText(), shape));
    }
    return out;
  }
}
