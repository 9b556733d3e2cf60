package dev.almanac.trainer.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.registry.MlflowConnection;
import dev.almanac.registry.S3ArtifactStore;
import dev.almanac.registry.S3Settings;
import dev.almanac.testbed.MlflowTestBed;
import dev.almanac.testbed.Tools;
import dev.almanac.trainer.pipeline.DataSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A downloaded source is kept under its digest in the artifact store and the MLflow run's dataset
 * input points at that snapshot, so the version can be retrained on exactly the data it saw; a
 * second run on the same bytes reuses the snapshot.
 */
@Tag("integration")
@ExtendWith(MlflowTestBed.class)
class DataSnapshotMlflowIntegrationTest {
  @TempDir Path tmp;

  @Test
  void eachRunReferencesTheSnapshotOfItsRawInput(MlflowTestBed.Endpoints bed) throws Exception {
    var suffix = UUID.randomUUID().toString().substring(0, 8);
    var model = "snapshot-it-" + suffix;
    var owid = Tools.dataDir().resolve("owid-covid/owid-covid-slim.csv.gz");
    var key = "datasets/" + suffix + "/owid.csv.gz";
    try (var store = new S3ArtifactStore(S3Settings.fromEnv(bed.env()))) {
      store.upload(owid, "s3://" + bed.bucket() + "/" + key);
    }
    var spec =
        """
        apiVersion: almanac.dev/v1alpha1
        kind: ForecastPipeline
        metadata: {name: snapshot-it, namespace: team-a}
        spec:
          task: forecast
          data:
            source: {s3: {bucket: %s, key: %s}}
            seriesColumn: iso_code
            series: [DEU]
            target: new_cases
          models: [{type: Linear}, {type: SeasonalNaive}]
          horizon: 7
          validation: {holdoutDays: 14, metric: MASE, threshold: "50"}
          mlflow: {trackingUri: "%s", experiment: snapshot-it, registeredModel: %s}
          artifacts: {s3: {bucket: %s, prefix: it-%s, endpoint: "%s", pathStyle: true}}
        """
            .formatted(
                bed.bucket(),
                key,
                bed.trackingUri(),
                model,
                bed.bucket(),
                suffix,
                bed.s3Endpoint());
    Files.writeString(tmp.resolve("pipeline.yaml"), spec);
    var snapshot =
        "s3://"
            + bed.bucket()
            + "/it-"
            + suffix
            + "/snapshots/"
            + DataSnapshot.sha256(owid)
            + ".csv.gz";

    var first =
        TrainerMlflowIntegrationTest.trainProcess(bed, tmp, tmp.resolve("pipeline.yaml"), "run-1");
    assertThat(first.exit()).as(first.log()).isZero();
    assertThat(first.log()).contains("[snapshot] kept as " + snapshot);
    var second =
        TrainerMlflowIntegrationTest.trainProcess(bed, tmp, tmp.resolve("pipeline.yaml"), "run-2");
    assertThat(second.exit()).as(second.log()).isZero();
    assertThat(second.log()).contains("[snapshot] already kept as " + snapshot);

    try (var mlflow = MlflowConnection.fromEnv(bed.env());
        var store = new S3ArtifactStore(S3Settings.fromEnv(bed.env()))) {
      assertThat(store.exists(snapshot)).isTrue();
      for (var outcome : new TrainerMlflowIntegrationTest.Outcome[] {first, second}) {
        var version =
            mlflow
                .registry()
                .getVersion(model, outcome.termination().path("modelVersion").asText());
        assertThat(version.tags()).containsEntry("almanac.data_snapshot", snapshot);
        var run =
            mlflow.tracking().getRun(outcome.termination().path("mlflowRunId").asText()).toString();
        assertThat(run).contains(snapshot).contains("s3://" + bed.bucket() + "/" + key);
      }
    }
  }
}
