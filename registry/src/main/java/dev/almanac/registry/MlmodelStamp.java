package dev.almanac.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the identity MLflow 3 gives a logged model into a model directory's {@code MLmodel} before
 * it is uploaded, as MLflow's own {@code log_model} does: {@code model_id}, {@code run_id} and
 * {@code artifact_path} (the logged model's artifact location). Everything else in the file is kept
 * as it was, in order.
 */
final class MlmodelStamp {
  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .disable(YAMLGenerator.Feature.SPLIT_LINES));

  private MlmodelStamp() {}

  /**
   * Stamps {@code modelDir/MLmodel} with {@code model}'s id, source run and location; a directory
   * without an {@code MLmodel} is left alone (it is not an MLflow model).
   */
  static void stamp(Path modelDir, LoggedModel model) {
    var file = modelDir.resolve(MlflowModelMetadata.FILE);
    if (!Files.isRegularFile(file)) {
      return;
    }
    ObjectNode root;
    try {
      var tree = YAML.readTree(file.toFile());
      if (!(tree instanceof ObjectNode object)) {
        throw new ArtifactIntegrityException(file + " is not a readable MLmodel: not a mapping");
      }
      root = object;
    } catch (IOException e) {
      throw new ArtifactIntegrityException(file + " is not a readable MLmodel: " + e.getMessage());
    }
    root.put("artifact_path", model.artifactUri());
    root.put("model_id", model.modelId());
    if (!model.sourceRunId().isEmpty()) {
      root.put("run_id", model.sourceRunId());
    }
    try {
      YAML.writeValue(file.toFile(), root);
    } catch (IOException e) {
      throw new RegistryException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
