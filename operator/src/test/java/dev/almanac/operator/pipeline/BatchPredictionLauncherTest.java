package dev.almanac.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.api.v1alpha1.common.ArtifactsSpec;
import dev.almanac.api.v1alpha1.common.MlflowSpec;
import dev.almanac.api.v1alpha1.common.S3ArtifactStore;
import dev.almanac.api.v1alpha1.common.SecretRef;
import dev.almanac.api.v1alpha1.pipeline.BatchOutputSpec;
import dev.almanac.api.v1alpha1.pipeline.BatchPredictionSpec;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipelineSpec;
import dev.almanac.api.v1alpha1.pipeline.PostgresOutputSpec;
import dev.almanac.api.v1alpha1.pipeline.Task;
import dev.almanac.operator.Labels;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BatchPredictionLauncherTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-25T03:00:00Z"), ZoneOffset.UTC);

  static ForecastPipeline pipeline(Task task, boolean enabled) {
    var fp = new ForecastPipeline();
    fp.setMetadata(
        new ObjectMetaBuilder().withName("covid").withNamespace("ns").withUid("u-1").build());
    var spec = new ForecastPipelineSpec();
    spec.setTask(task);
    spec.setHorizon(14);
    var mlflow = new MlflowSpec();
    mlflow.setTrackingUri("http://mlflow:5000");
    mlflow.setRegisteredModel("covid-cases");
    spec.setMlflow(mlflow);
    var s3 = new S3ArtifactStore();
    s3.setBucket("almanac");
    s3.setPrefix("models/");
    var artifacts = new ArtifactsSpec();
    artifacts.setS3(s3);
    spec.setArtifacts(artifacts);
    var batch = new BatchPredictionSpec();
    batch.setEnabled(enabled);
    spec.setBatchPrediction(batch);
    fp.setSpec(spec);
    return fp;
  }

  @Test
  void promotedForecastVersionGetsABatchJobWritingUnderTheArtifactsPrefix() {
    var job =
        BatchPredictionLauncher.job(
            pipeline(Task.FORECAST, true), "7", "trainer:1", "almanac-trainer", CLOCK);

    assertThat(job.getMetadata().getName()).isEqualTo("covid-predict-v7");
    assertThat(job.getMetadata().getLabels())
        .containsEntry(Labels.COMPONENT, BatchPredictionLauncher.COMPONENT)
        .doesNotContainKey(Labels.RUN);
    assertThat(job.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("covid"));
    var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getArgs())
        .containsExactly(
            "-cp",
            "/app/almanac-trainer.jar",
            "dev.almanac.trainer.BatchPredictCli",
            "--model",
            "models:/covid-cases/7",
            "--horizon",
            "14",
            "--output",
            "s3://almanac/models/predictions/covid/v7");
    assertThat(container.getVolumeMounts()).extracting(m -> m.getName()).containsExactly("tmp");
    assertThat(container.getEnv()).anyMatch(e -> e.getName().equals("MLFLOW_TRACKING_URI"));
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(86_400);
  }

  @Test
  void nothingWhenDisabledOrNotAForecast() {
    assertThat(
            BatchPredictionLauncher.job(
                pipeline(Task.FORECAST, false), "7", "trainer:1", null, CLOCK))
        .isNull();
    assertThat(
            BatchPredictionLauncher.job(
                pipeline(Task.CLASSIFICATION, true), "7", "trainer:1", null, CLOCK))
        .isNull();
  }

  @Test
  void aPostgresOutputPassesTheUrlTableAndSecretToTheJob() {
    var fp = pipeline(Task.FORECAST, true);
    var postgres = new PostgresOutputSpec();
    postgres.setJdbcUrl("jdbc:postgresql://forecasts-db:5432/forecasts");
    postgres.setTable("covid.predictions");
    postgres.setCredentialsSecretRef(new SecretRef("forecasts-db"));
    var output = new BatchOutputSpec();
    output.setPostgres(postgres);
    fp.getSpec().getBatchPrediction().setOutput(output);

    var container =
        BatchPredictionLauncher.job(fp, "7", "trainer:1", null, CLOCK)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);

    assertThat(container.getArgs())
        .containsSubsequence(
            "--output",
            "s3://almanac/models/predictions/covid/v7",
            "--postgres-url",
            "jdbc:postgresql://forecasts-db:5432/forecasts",
            "--postgres-table",
            "covid.predictions");
    assertThat(container.getEnv())
        .filteredOn(e -> e.getName().startsWith("ALMANAC_POSTGRES_"))
        .extracting(
            e ->
                e.getName()
                    + "="
                    + e.getValueFrom().getSecretKeyRef().getName()
                    + "/"
                    + e.getValueFrom().getSecretKeyRef().getKey())
        .containsExactly(
            "ALMANAC_POSTGRES_USER=forecasts-db/username",
            "ALMANAC_POSTGRES_PASSWORD=forecasts-db/password");
    assertThat(container.getEnv())
        .noneMatch(e -> e.getValue() != null && e.getValue().contains("password"));
    // training runs get them too: they score the stored forecasts against newer actuals
    var training =
        RunObjects.job(
                fp,
                "covid-1",
                dev.almanac.api.v1alpha1.pipeline.RunTrigger.Schedule,
                CLOCK.instant(),
                "trainer:1")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(training.getEnv())
        .extracting(e -> e.getName())
        .contains("ALMANAC_POSTGRES_USER", "ALMANAC_POSTGRES_PASSWORD");
  }

  @Test
  void theDataCutoffHoldsForTheBatchJobToo() {
    var fp = pipeline(Task.FORECAST, true);
    var data = new dev.almanac.api.v1alpha1.pipeline.DataSpec();
    data.setAsOf("2021-02-01");
    fp.getSpec().setData(data);
    var args =
        BatchPredictionLauncher.job(fp, "7", "trainer:1", null, CLOCK)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getArgs();
    assertThat(args)
        .containsSubsequence(
            "--output", "s3://almanac/models/predictions/covid/v7", "--as-of", "2021-02-01");
    assertThat(
            BatchPredictionLauncher.job(
                    pipeline(Task.FORECAST, true), "7", "trainer:1", null, CLOCK)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getArgs())
        .doesNotContain("--as-of");
  }
}
