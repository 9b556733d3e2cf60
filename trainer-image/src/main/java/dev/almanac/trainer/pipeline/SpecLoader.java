package dev.almanac.trainer.pipeline;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the same ForecastPipeline YAML a user would {@code kubectl apply}; unknown fields fail,
 * like the API server's structural schema, so a typo never silently trains with defaults.
 */
public final class SpecLoader {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private SpecLoader() {}

  public static ForecastPipeline load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new RunFailure(ExitCode.BAD_SPEC, "spec file not found: " + file);
    }
    try {
      JsonNode root = YAML.readTree(file.toFile());
      if (root == null || !root.isObject()) {
        throw new RunFailure(ExitCode.BAD_SPEC, file + ": not a YAML object");
      }
      String kind = root.path("kind").asText("");
      if (!"ForecastPipeline".equals(kind)) {
        throw new RunFailure(
            ExitCode.BAD_SPEC, file + ": kind must be ForecastPipeline, got '" + kind + "'");
      }
      ForecastPipeline fp = YAML.treeToValue(root, ForecastPipeline.class);
      if (fp.getSpec() == null) {
        throw new RunFailure(ExitCode.BAD_SPEC, file + ": spec is missing");
      }
      return fp;
    } catch (IOException e) {
      throw new RunFailure(
          ExitCode.BAD_SPEC,
          file + ": " + e.getMessage().lines().findFirst().orElse("invalid YAML"),
          e);
    }
  }
}
