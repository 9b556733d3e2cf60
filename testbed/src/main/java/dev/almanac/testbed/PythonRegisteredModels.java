package dev.almanac.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Registers models the way a Python user does, with the MLflow client of the server's own version
 * (its venv): a scikit-learn classifier on iris, logged through {@code mlflow.onnx.log_model}
 * (converted with skl2onnx) or {@code mlflow.sklearn.log_model}. Interop tests serve them.
 */
public final class PythonRegisteredModels {
  private static final String SCRIPT = "log_python_model.py";
  private static final String RESULT = "ALMANAC_RESULT ";

  /** What the Python side logged. */
  public enum Variant {
    /** ONNX flavor, signature matching the graph's input {@code float_input}. */
    ONNX("onnx"),
    /** ONNX flavor, but the signature names its input {@code features}. */
    ONNX_BAD_SIGNATURE("onnx-bad-signature"),
    /** Only the sklearn and python_function flavors. */
    SKLEARN("sklearn");

    private final String arg;

    Variant(String arg) {
      this.arg = arg;
    }
  }

  /**
   * A registered version, the rows it was checked on and scikit-learn's class probabilities for
   * them.
   */
  public record Registered(
      String version, String runId, String modelId, double[][] rows, double[][] probabilities) {}

  private PythonRegisteredModels() {}

  /** Logs and registers {@code variant} as a new version of {@code model}, alias {@code alias}. */
  public static Registered register(
      MlflowTestBed.Endpoints bed, String model, Variant variant, String alias) {
    Path work = null;
    try {
      work = Files.createTempDirectory("python-model");
      var script = work.resolve(SCRIPT);
      try (InputStream in = PythonRegisteredModels.class.getResourceAsStream(SCRIPT)) {
        Files.copy(in, script);
      }
      var command =
          new ArrayList<>(
              List.of(
                  bed.version().python().toString(), script.toString(), model, variant.arg, alias));
      var builder = new ProcessBuilder(command).directory(work.toFile());
      builder.environment().putAll(bed.env());
      builder.environment().put("GIT_PYTHON_REFRESH", "quiet");
      var stderr = work.resolve("stderr.txt");
      builder.redirectError(stderr.toFile());
      var process = builder.start();
      var stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(Timeouts.seconds(180).toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("python did not register " + model + " in time");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "python could not register "
                + model
                + " ("
                + variant
                + "): exit "
                + process.exitValue()
                + "\n"
                + Files.readString(stderr));
      }
      var result =
          stdout
              .lines()
              .filter(l -> l.startsWith(RESULT))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("python printed no result:\n" + stdout));
      JsonNode out = new ObjectMapper().readTree(result.substring(RESULT.length()));
      return new Registered(
          out.path("version").asText(),
          out.path("run_id").asText(),
          out.path("model_id").isNull() ? null : out.path("model_id").asText(),
          matrix(out.path("rows")),
          matrix(out.path("probabilities")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      TestBedDirs.deleteQuietly(work);
    }
  }

  private static double[][] matrix(JsonNode rows) {
    var out = new double[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      var row = rows.get(i);
      out[i] = new double[row.size()];
      for (int j = 0; j < row.size(); j++) {
        out[i][j] = row.get(j).asDouble();
      }
    }
    return out;
  }
}
