package dev.almanac.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.almanac.testbed.MlflowTestBed;
import dev.almanac.testbed.MlflowVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the server has logged models (MLflow 3), a published bundle becomes one: READY, produced by
 * the run, carrying the run's metrics and dataset, and the version is registered from it. On MLflow
 * 2.22 ({@link LoggedModelOnMlflow2Test}) the same calls take the run-artifact path.
 */
@Tag("integration")
@ExtendWith(MlflowTestBed.class)
class LoggedModelIntegrationTest {
  /** Python MLflow, with only the tracking URI, reads the version and the files behind it. */
  private static final String READER =
      """
      import hashlib, json, os, sys, yaml
      import mlflow
      from mlflow import MlflowClient
      name, dst = sys.argv[1], sys.argv[2]
      os.makedirs(dst, exist_ok=True)
      os.makedirs(sys.argv[3], exist_ok=True)
      client = MlflowClient()
      v = client.get_model_version(name, "1")
      # MLflow 3's SQL registry keeps the link in the source (models:/<model id>)
      model_id = getattr(v, "model_id", None) or (v.source[8:] if v.source.startswith("models:/m-") else None)
      logged = client.get_logged_model(model_id) if model_id else None
      path = mlflow.artifacts.download_artifacts(artifact_uri=f"models:/{name}/1", dst_path=dst)
      files = sorted(os.path.relpath(os.path.join(d, f), path) for d, _, fs in os.walk(path) for f in fs)
      mlmodel = yaml.safe_load(open(os.path.join(path, "MLmodel")))
      # MLflow 3 finds a run's logged model by its name; MLflow 2 reads the run's artifact
      by_run = mlflow.artifacts.download_artifacts(artifact_uri=f"runs:/{v.run_id}/model", dst_path=sys.argv[3])
      print(json.dumps({
          "source": v.source, "run_id": v.run_id, "model_id": model_id,
          "logged_status": str(logged.status) if logged else None,
          "logged_run": logged.source_run_id if logged else None,
          "logged_versions": json.loads(logged.tags.get("mlflow.modelVersions", "[]")) if logged else [],
          "logged_metrics": {m.key: [m.value, m.dataset_digest] for m in logged.metrics} if logged else {},
          "mlmodel_model_id": mlmodel.get("model_id"), "files": files,
          "by_run_files": sorted(os.listdir(by_run)),
          "model_sha256": hashlib.sha256(open(os.path.join(path, "model.onnx"), "rb").read()).hexdigest()}))
      """;

  private static MlflowConnection mlflow;

  @BeforeAll
  static void connect(MlflowTestBed.Endpoints bed) {
    mlflow = MlflowConnection.fromEnv(bed.env());
  }

  @AfterAll
  static void close() {
    mlflow.close();
  }

  /** A run in a proxied experiment with a param, a metric and its training dataset. */
  private static RunInfo trainedRun(MlflowTestBed.Endpoints bed, String experiment) {
    var tracking = mlflow.tracking();
    var id =
        tracking.getOrCreateExperiment(experiment, bed.proxiedArtifactRoot() + experiment).id();
    var run = tracking.startRun(id, "trained", Map.of());
    tracking.log(
        run.runId(),
        new RunBatch(Map.of("horizon", "28"), List.of(Metric.of("mase", 0.82, 0)), Map.of()));
    tracking.logInputs(
        run.runId(),
        List.of(
            DatasetInput.of(
                new Dataset("owid", "d1g357", "http", "{\"url\": \"https://x/owid.csv\"}", "", ""),
                "training")));
    return run;
  }

  @Test
  void bundleBecomesALoggedModelOnMlflow3AndARunArtifactOnMlflow2(
      MlflowTestBed.Endpoints bed, @TempDir Path tmp) throws Exception {
    var name = "logged-" + UUID.randomUUID();
    var run = trainedRun(bed, "logged-" + name);
    var dir = ModelFiles.modelDir(tmp.resolve("src"), 4096);

    var published =
        mlflow.publisher().publish(run.runId(), dir, name, Map.of("almanac.pipeline", "covid"));
    mlflow.tracking().endRun(run.runId(), RunStatus.FINISHED);

    var version = published.version();
    assertThat(version.status()).isEqualTo(ModelVersionStatus.READY);
    assertThat(version.runId()).isEqualTo(run.runId());
    boolean v3 = bed.version() == MlflowVersion.V3;
    assertThat(mlflow.loggedModels().supported(run.experimentId())).isEqualTo(v3);
    if (v3) {
      var logged = published.loggedModel().orElseThrow();
      var stored = mlflow.loggedModels().get(logged.modelId());
      assertThat(stored.status()).isEqualTo(LoggedModelStatus.READY);
      assertThat(stored.sourceRunId()).isEqualTo(run.runId());
      assertThat(stored.modelType()).isEqualTo(ModelPublisher.MODEL_TYPE);
      assertThat(stored.name()).isEqualTo(ModelPublisher.DEFAULT_ARTIFACT_PATH);
      assertThat(stored.params()).containsEntry("horizon", "28");
      assertThat(stored.tags()).containsEntry("almanac.pipeline", "covid");
      assertThat(stored.artifactUri()).startsWith("mlflow-artifacts:/logged-" + name + "/");
      assertThat(mlflow.loggedModels().ofRun(run.experimentId(), run.runId()))
          .extracting(LoggedModel::modelId)
          .containsExactly(logged.modelId());
      assertThat(mlflow.loggedModels().metrics(logged.modelId()))
          .anySatisfy(
              m -> {
                assertThat(m.metric().key()).isEqualTo("mase");
                assertThat(m.metric().value()).isEqualTo(0.82);
                assertThat(m.datasetName()).isEqualTo("owid");
                assertThat(m.datasetDigest()).isEqualTo("d1g357");
                assertThat(m.runId()).isEqualTo(run.runId());
              });
      // the run's own history is unchanged: one point, not two
      assertThat(mlflow.tracking().metricHistory(run.runId(), "mase")).hasSize(1);
      assertThat(version.modelId()).isEqualTo(logged.modelId());
      assertThat(version.source()).isEqualTo("models:/" + logged.modelId());
      // MLflow tags the logged model with the versions registered from it
      var registrations =
          new ObjectMapper()
              .readTree(
                  mlflow.loggedModels().get(logged.modelId()).tags().get("mlflow.modelVersions"));
      assertThat(registrations)
          .anySatisfy(
              r -> {
                assertThat(r.path("name").asText()).isEqualTo(name);
                assertThat(r.path("version").asText()).isEqualTo("1");
              });
      assertThat(mlflow.registry().downloadUri(name, "1")).isEqualTo(stored.artifactUri());
      assertThat(mlflow.registry().mlmodel(name, "1").modelId()).contains(logged.modelId());
    } else {
      assertThat(published.loggedModel()).isEmpty();
      assertThat(version.modelId()).isEmpty();
      assertThat(version.source()).isEqualTo(run.artifactUri() + "/model");
      assertThat(mlflow.registry().mlmodel(name, "1").modelId()).isEmpty();
    }

    var fetched = mlflow.fetcher().fetch(version.uri(), tmp.resolve("served"));
    assertThat(fetched.manifest()).isEqualTo(published.manifest());

    var python =
        PythonScript.run(
            bed.version().python(),
            READER,
            Map.of("MLFLOW_TRACKING_URI", bed.trackingUri().toString()),
            tmp.resolve("python"),
            name,
            tmp.resolve("python/download").toString(),
            tmp.resolve("python/by-run").toString());
    var onnx =
        published.manifest().files().stream()
            .filter(f -> f.path().equals("model.onnx"))
            .findFirst()
            .orElseThrow();
    assertThat(python.path("model_sha256").asText()).isEqualTo(onnx.sha256());
    assertThat(python.path("files"))
        .extracting(JsonNode::asText)
        .contains("MLmodel", "model.onnx", "almanac/bundle.json", ArtifactTransfer.MANIFEST);
    assertThat(python.path("run_id").asText()).isEqualTo(run.runId());
    assertThat(python.path("by_run_files"))
        .extracting(JsonNode::asText)
        .contains("MLmodel", "model.onnx");
    if (v3) {
      var modelId = published.loggedModel().orElseThrow().modelId();
      assertThat(python.path("model_id").asText()).isEqualTo(modelId);
      assertThat(python.path("mlmodel_model_id").asText()).isEqualTo(modelId);
      assertThat(python.path("logged_status").asText()).contains("READY");
      assertThat(python.path("logged_run").asText()).isEqualTo(run.runId());
      assertThat(python.path("logged_versions"))
          .anySatisfy(
              r -> {
                assertThat(r.path("name").asText()).isEqualTo(name);
                assertThat(r.path("version").asText()).isEqualTo("1");
              });
      assertThat(python.path("logged_metrics").path("mase").get(1).asText()).isEqualTo("d1g357");
    } else {
      assertThat(python.path("source").asText()).isEqualTo(run.artifactUri() + "/model");
      assertThat(python.path("model_id").isNull()).isTrue();
    }
  }

  @Test
  void failedUploadLeavesAFailedLoggedModelAndNoVersion(
      MlflowTestBed.Endpoints bed, @TempDir Path tmp) throws Exception {
    var name = "logged-fail-" + UUID.randomUUID();
    var run = trainedRun(bed, "logged-" + name);
    var stored = new ArrayList<String>();
    var publisher =
        mlflow
            .publisher()
            .withProgress(
                entry -> {
                  stored.add(entry.path());
                  throw new RegistryUnavailableException("store went away", 503, null);
                });

    assertThatThrownBy(
            () -> publisher.publish(run.runId(), ModelFiles.modelDir(tmp, 512), name, Map.of()))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("store went away");

    assertThat(stored).containsExactly("MLmodel");
    assertThat(mlflow.registry().findVersion(name, "1")).isEmpty();
    if (bed.version() == MlflowVersion.V3) {
      assertThat(mlflow.loggedModels().ofRun(run.experimentId(), run.runId()))
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.status()).isEqualTo(LoggedModelStatus.UPLOAD_FAILED);
                assertThat(m.sourceRunId()).isEqualTo(run.runId());
              });
    }
  }
}
