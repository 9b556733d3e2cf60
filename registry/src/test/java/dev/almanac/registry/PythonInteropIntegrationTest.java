package dev.almanac.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.almanac.testbed.MlflowTestBed;
import dev.almanac.testbed.MlflowVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python MLflow client reads what the Java side wrote: registry entries and artifact layout.
 */
@Tag("integration")
@ExtendWith(MlflowTestBed.class)
class PythonInteropIntegrationTest {
  private static final String READER =
      """
      import hashlib, json, os, sys
      import mlflow
      from mlflow import MlflowClient
      name, dst = sys.argv[1], sys.argv[2]
      client = MlflowClient()
      v = client.get_model_version(name, "2")
      by_alias = client.get_model_version_by_alias(name, "champion")
      run = client.get_run(v.run_id)
      # MLflow 3's SQL registry keeps the link in the source (models:/<model id>)
      model_id = getattr(v, "model_id", None) or (v.source[8:] if v.source.startswith("models:/m-") else None)
      path = mlflow.artifacts.download_artifacts(artifact_uri=f"models:/{name}@champion", dst_path=dst)
      files = sorted(os.path.relpath(os.path.join(d, f), path) for d, _, fs in os.walk(path) for f in fs)
      print(json.dumps({
          "stage": v.current_stage, "tags": v.tags, "aliases": list(v.aliases), "source": v.source,
          "alias_version": by_alias.version, "model_id": model_id,
          "model_run": client.get_logged_model(model_id).source_run_id if model_id else None, "archived": client.get_model_version(name, "1").current_stage,
          "run_params": run.data.params, "run_status": run.info.status,
          "inputs": [d.dataset.digest for d in run.inputs.dataset_inputs], "files": files,
          "model_sha256": hashlib.sha256(open(os.path.join(path, "model.onnx"), "rb").read()).hexdigest()}))
      """;

  @Test
  void pythonMlflowReadsVersionsTagsStagesAliasesAndArtifacts(
      MlflowTestBed.Endpoints bed, @TempDir Path tmp) throws Exception {
    var model = "interop-" + UUID.randomUUID();
    String runId;
    ArtifactManifest manifest;
    try (var mlflow = MlflowConnection.fromEnv(bed.env())) {
      var tracking = mlflow.tracking();
      var experiment = tracking.getOrCreateExperiment("interop-" + model);
      var registry = mlflow.registry();
      var dir = ModelFiles.modelDir(tmp.resolve("src"), 1000);
      var first = tracking.startRun(experiment.id(), null, Map.of());
      mlflow.publisher().publish(first.runId(), dir, model, Map.of());
      var run = tracking.startRun(experiment.id(), "java-run", Map.of());
      runId = run.runId();
      tracking.log(runId, RunBatch.params(Map.of("horizon", "28")));
      tracking.logInputs(
          runId,
          List.of(
              DatasetInput.of(
                  new Dataset(
                      "owid",
                      "d1g357",
                      "http",
                      "{\"url\": \"https://example.org/owid.csv\"}",
                      "",
                      ""),
                  "training")));
      manifest =
          mlflow
              .publisher()
              .publish(runId, dir, model, Map.of("almanac.dev/pipeline", "covid"))
              .manifest();
      tracking.endRun(runId, RunStatus.FINISHED);
      registry.transitionStage(model, "1", Stage.PRODUCTION, false);
      registry.transitionStage(model, "2", Stage.PRODUCTION, true);
      registry.setAlias(model, "champion", "2");
      registry.setVersionTag(model, "2", "almanac.dev/decision", "promoted");
    }

    var out = runPython(bed, model, tmp.resolve("python-download"));

    assertThat(out.path("stage").asText()).isEqualTo("Production");
    assertThat(out.path("archived").asText()).isEqualTo("Archived");
    assertThat(out.path("alias_version").asText()).isEqualTo("2");
    assertThat(out.path("aliases")).extracting(JsonNode::asText).containsExactly("champion");
    assertThat(out.path("tags").path("almanac.dev/pipeline").asText()).isEqualTo("covid");
    assertThat(out.path("tags").path("almanac.dev/decision").asText()).isEqualTo("promoted");
    if (bed.version() == MlflowVersion.V3) {
      // registered from the run's logged model (LoggedModelIntegrationTest has the details)
      assertThat(out.path("source").asText()).startsWith("models:/m-");
      assertThat(out.path("model_id").asText()).isEqualTo(out.path("source").asText().substring(8));
      assertThat(out.path("model_run").asText()).isEqualTo(runId);
    } else {
      assertThat(out.path("source").asText())
          .startsWith("s3://")
          .contains(runId)
          .endsWith("/model");
    }
    assertThat(out.path("run_params").path("horizon").asText()).isEqualTo("28");
    assertThat(out.path("run_status").asText()).isEqualTo("FINISHED");
    assertThat(out.path("inputs")).extracting(JsonNode::asText).containsExactly("d1g357");
    // Python adds its own registered_model_meta file next to ours
    assertThat(out.path("files"))
        .extracting(JsonNode::asText)
        .contains("MLmodel", "almanac-manifest.json", "almanac/bundle.json", "model.onnx");
    var onnx =
        manifest.files().stream()
            .filter(f -> f.path().equals("model.onnx"))
            .findFirst()
            .orElseThrow();
    assertThat(out.path("model_sha256").asText()).isEqualTo(onnx.sha256());
  }

  private static JsonNode runPython(MlflowTestBed.Endpoints bed, String model, Path dst)
      throws Exception {
    Files.createDirectories(dst);
    var command =
        new ArrayList<>(
            List.of(bed.version().python().toString(), "-c", READER, model, dst.toString()));
    var builder = new ProcessBuilder(command).redirectErrorStream(false);
    builder.environment().putAll(bed.env());
    builder.environment().put("GIT_PYTHON_REFRESH", "quiet");
    var stderr = Files.createTempFile(dst.getParent(), "python", ".err");
    builder.redirectError(stderr.toFile());
    var process = builder.start();
    var stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("python MLflow reader did not finish in 120 s");
    }
    assertThat(process.exitValue())
        .as("python exit code; stderr:%n%s", Files.readString(stderr))
        .isZero();
    var lines = stdout.strip().lines().toList();
    return new ObjectMapper().readTree(lines.get(lines.size() - 1));
  }
}
