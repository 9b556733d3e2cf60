package dev.almanac.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.almanac.testbed.MlflowTestBed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("integration")
@ExtendWith(MlflowTestBed.class)
class TrackingIntegrationTest {
  private static MlflowConnection mlflow;

  @BeforeAll
  static void connect(MlflowTestBed.Endpoints bed) {
    mlflow = MlflowConnection.fromEnv(bed.env());
  }

  @AfterAll
  static void close() {
    mlflow.close();
  }

  @Test
  void experimentIsCreatedOnceAndFoundByName(MlflowTestBed.Endpoints bed) {
    var name = "tracking-" + UUID.randomUUID();
    assertThat(mlflow.tracking().findExperiment(name)).isEmpty();
    var created = mlflow.tracking().getOrCreateExperiment(name);
    var again = mlflow.tracking().getOrCreateExperiment(name);
    assertThat(again).isEqualTo(created);
    assertThat(created.name()).isEqualTo(name);
    assertThat(created.artifactLocation()).startsWith(bed.defaultArtifactRoot() + "/");
  }

  @Test
  void runRoundTripsParamsMetricsTagsAndDatasetInputs() {
    var tracking = mlflow.tracking();
    var experiment = tracking.getOrCreateExperiment("tracking-" + UUID.randomUUID());
    var run =
        tracking.startRun(experiment.id(), "nightly", Map.of("almanac.dev/pipeline", "covid"));
    assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
    assertThat(run.artifactUri()).startsWith("s3://").endsWith(run.runId() + "/artifacts");

    tracking.logParam(run.runId(), "model", "RandomForest");
    tracking.logMetric(run.runId(), "mase", 0.91, 0);
    tracking.logMetric(run.runId(), "mase", 0.87, 1);
    tracking.setTag(run.runId(), "almanac.dev/data-digest", "abc123");
    var dataset =
        new Dataset(
            "owid-covid",
            "3f2a9c1d",
            "http",
            "{\"url\": \"https://example.org/owid.csv\"}",
            "{\"mlflow_colspec\": [{\"name\": \"new_cases\", \"type\": \"double\"}]}",
            "{\"num_rows\": 1234}");
    tracking.logInputs(run.runId(), List.of(DatasetInput.of(dataset, "training")));
    tracking.endRun(run.runId(), RunStatus.FINISHED);

    var read = tracking.getRun(run.runId());
    assertThat(read.info().status()).isEqualTo(RunStatus.FINISHED);
    assertThat(read.info().endTime()).isPresent();
    assertThat(read.info().runName()).isEqualTo("nightly");
    assertThat(read.params()).containsEntry("model", "RandomForest");
    assertThat(read.metrics().get("mase").value()).isEqualTo(0.87);
    assertThat(read.metrics().get("mase").step()).isEqualTo(1);
    assertThat(read.tags())
        .containsEntry("almanac.dev/pipeline", "covid")
        .containsEntry("almanac.dev/data-digest", "abc123");
    assertThat(read.inputs()).containsExactly(DatasetInput.of(dataset, "training"));
    assertThat(tracking.metricHistory(run.runId(), "mase"))
        .extracting(Metric::step, Metric::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0L, 0.91),
            org.assertj.core.groups.Tuple.tuple(1L, 0.87));
  }

  @Test
  void largeBatchIsSplitAcrossCalls() {
    var tracking = mlflow.tracking();
    var experiment = tracking.getOrCreateExperiment("tracking-" + UUID.randomUUID());
    var run = tracking.startRun(experiment.id(), null, Map.of());
    var params = new HashMap<String, String>();
    for (int i = 0; i < 150; i++) {
      params.put("p" + i, "v".repeat(i % 2 == 0 ? 10 : 6000));
    }
    var metrics = new ArrayList<Metric>();
    for (int step = 0; step < 1200; step++) {
      metrics.add(new Metric("loss", 1.0 / (step + 1), 1_000L + step, step));
    }
    tracking.log(run.runId(), new RunBatch(params, metrics, Map.of("t", "v")));

    var read = tracking.getRun(run.runId());
    assertThat(read.params()).hasSize(150).containsEntry("p1", "v".repeat(6000));
    assertThat(tracking.metricHistory(run.runId(), "loss")).hasSize(1200);
    assertThat(read.tags()).containsEntry("t", "v");
  }

  @Test
  void unknownRunIsNotFound() {
    assertThatThrownBy(() -> mlflow.tracking().getRun("0123456789abcdef0123456789abcdef"))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("runs/get");
  }

  @Test
  void conflictingParamIsRefusedWithMlflowsErrorCode() {
    var tracking = mlflow.tracking();
    var run =
        tracking.startRun(
            tracking.getOrCreateExperiment("tracking-" + UUID.randomUUID()).id(), null, Map.of());
    tracking.logParam(run.runId(), "alpha", "1.0");
    assertThatThrownBy(() -> tracking.logParam(run.runId(), "alpha", "2.0"))
        .isInstanceOfSatisfying(
            RegistryRequestException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
              assertThat(e.serverMessage()).contains("alpha");
            });
  }
}
