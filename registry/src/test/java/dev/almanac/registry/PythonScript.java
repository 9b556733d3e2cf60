package dev.almanac.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a Python snippet in an MLflow venv and reads the JSON it prints last. */
final class PythonScript {
  private PythonScript() {}

  /**
   * Runs {@code script} with {@code args} and exactly {@code env} (nothing inherited that starts
   * with {@code AWS_} or {@code MLFLOW_}: a laptop with only what the test grants), fails with its
   * stderr on a non-zero exit.
   */
  static JsonNode run(
      Path python, String script, Map<String, String> env, Path workDir, String... args)
      throws Exception {
    Files.createDirectories(workDir);
    var command = new ArrayList<>(List.of(python.toString(), "-c", script));
    command.addAll(List.of(args));
    var builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("MLFLOW_"));
    builder.environment().putAll(env);
    builder.environment().put("GIT_PYTHON_REFRESH", "quiet");
    var stderr = Files.createTempFile(workDir, "python", ".err");
    builder.redirectError(stderr.toFile());
    var process = builder.start();
    var stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("python did not finish in 120 s");
    }
    assertThat(process.exitValue())
        .as("python exit code; stderr:%n%s", Files.readString(stderr))
        .isZero();
    var lines = stdout.strip().lines().toList();
    return new ObjectMapper().readTree(lines.get(lines.size() - 1));
  }
}
