package dev.almanac.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What an {@code MLmodel} file says about a model directory, whoever wrote it (Almanac's trainer or
 * MLflow's Python client): its flavors, the ONNX file of the {@code onnx} flavor, the signature,
 * and what MLflow records for integrity ({@code model_size_bytes}) and identity ({@code model_id},
 * {@code mlflow_version}).
 *
 * @param signatureInputs the signature's inputs, empty when the model was logged without one
 */
public record MlflowModelMetadata(
    List<String> flavors,
    Optional<String> onnxFile,
    List<SignatureTensor> signatureInputs,
    List<SignatureTensor> signatureOutputs,
    OptionalLong modelSizeBytes,
    Optional<String> modelId,
    Optional<String> mlflowVersion,
    Map<String, String> metadata) {
  public static final String FILE = "MLmodel";
  public static final String ONNX_FLAVOR = "onnx";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  public MlflowModelMetadata {
    flavors = List.copyOf(flavors);
    signatureInputs = List.copyOf(signatureInputs);
    signatureOutputs = List.copyOf(signatureOutputs);
    metadata = Map.copyOf(metadata);
  }

  /**
   * One tensor (or column) of an MLflow signature; {@code name} is empty for an unnamed tensor
   * (logged from a bare array), {@code dtype} is numpy's name ("float32") or a column type
   * ("double"), {@code shape} is empty for a column.
   */
  public record SignatureTensor(String name, String dtype, List<Long> shape) {
    public SignatureTensor {
      shape = List.copyOf(shape);
    }
  }

  /** Parses an {@code MLmodel} file's text; a file that is not YAML fails naming {@code where}. */
  public static MlflowModelMetadata parse(String yaml, String where) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (IOException e) {
      throw new ArtifactIntegrityException(where + " is not a readable MLmodel: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ArtifactIntegrityException(where + " is not a readable MLmodel: not a mapping");
    }
    var flavors = new ArrayList<String>();
    root.path("flavors").fieldNames().forEachRemaining(flavors::add);
    var onnx = root.path("flavors").path(ONNX_FLAVOR);
    var onnxFile =
        onnx.isObject()
            ? Optional.of(onnx.path("data").asText("model.onnx"))
            : Optional.<String>empty();
    var meta = new LinkedHashMap<String, String>();
    root.path("metadata").properties().forEach(e -> meta.put(e.getKey(), e.getValue().asText()));
    var size = root.path("model_size_bytes");
    return new MlflowModelMetadata(
        flavors,
        onnxFile,
        signature(root.path("signature").path("inputs"), where),
        signature(root.path("signature").path("outputs"), where),
        size.isNumber() ? OptionalLong.of(size.asLong()) : OptionalLong.empty(),
        text(root.path("model_id")),
        text(root.path("mlflow_version")),
        meta);
  }

  public boolean hasOnnxFlavor() {
    return onnxFile.isPresent();
  }

  /**
   * The failure for a version without an {@code onnx} flavor, in the words a user reads on the
   * ModelDeployment.
   */
  public NoOnnxFlavorException noOnnxFlavor(String what) {
    return new NoOnnxFlavorException(
        "no onnx flavor; Almanac serves ONNX ("
            + what
            + " has flavors "
            + String.join(", ", flavors)
            + "; log it with mlflow.onnx.log_model)");
  }

  private static Optional<String> text(JsonNode node) {
    return node.isTextual() && !node.asText().isBlank()
        ? Optional.of(node.asText())
        : Optional.empty();
  }

  /** MLflow stores each side of the signature as a JSON string inside the YAML. */
  private static List<SignatureTensor> signature(JsonNode side, String where) {
    if (!side.isTextual() || side.asText().isBlank()) {
      return List.of();
    }
    JsonNode specs;
    try {
      specs = JSON.readTree(side.asText());
    } catch (IOException e) {
      throw new ArtifactIntegrityException(
          where + " has an unreadable signature: " + e.getMessage());
    }
    var out = new ArrayList<SignatureTensor>();
    for (var spec : specs) {
      var tensor = spec.path("tensor-spec");
      var shape = new ArrayList<Long>();
      tensor.path("shape").forEach(d -> shape.add(d.asLong()));
      out.add(
          new SignatureTensor(
              spec.path("name").asText(""),
              tensor.isObject() ? tensor.path("dtype").asText("") : spec.path("type").asText(""),
              shape));
    }
    return out;
  }
}
