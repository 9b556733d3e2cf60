package dev.almanac.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.almanac.testbed.MlflowTestBed;
import dev.almanac.testbed.MlflowVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
@ExtendWith(MlflowTestBed.class)
class ModelRegistryIntegrationTest {
  private static MlflowConnection mlflow;
  private static MlflowModelRegistry registry;

  @BeforeAll
  static void connect(MlflowTestBed.Endpoints bed) {
    mlflow = MlflowConnection.fromEnv(bed.env());
    registry = mlflow.registry();
  }

  @AfterAll
  static void close() {
    mlflow.close();
  }

  /** A finished run with a model directory published as a new version of {@code model}. */
  private static PublishedModel publish(
      String experiment, String model, Path tmp, Map<String, String> tags) throws Exception {
    var tracking = mlflow.tracking();
    var run = tracking.startRun(tracking.getOrCreateExperiment(experiment).id(), null, Map.of());
    var dir = ModelFiles.modelDir(Files.createTempDirectory(tmp, "src"), 2048);
    var published = mlflow.publisher().publish(run.runId(), dir, model, tags);
    tracking.endRun(run.runId(), RunStatus.FINISHED);
    return published;
  }

  @Test
  void publishesAVersionFromTheRunsModelDirectory(MlflowTestBed.Endpoints bed, @TempDir Path tmp)
      throws Exception {
    var model = "covid-" + UUID.randomUUID();
    var published =
        publish("registry-" + model, model, tmp, Map.of("almanac.dev/pipeline", "covid"));

    var version = published.version();
    var run = mlflow.tracking().getRun(version.runId());
    assertThat(version.version()).isEqualTo("1");
    assertThat(version.status()).isEqualTo(ModelVersionStatus.READY);
    assertThat(version.stage()).isEqualTo(Stage.NONE);
    if (bed.version() == MlflowVersion.V3) {
      // a logged model of the run: the version points at it, its files are in its own location
      var logged = published.loggedModel().orElseThrow();
      assertThat(version.source()).isEqualTo("models:/" + logged.modelId());
      assertThat(version.modelId()).isEqualTo(logged.modelId());
      assertThat(registry.downloadUri(model, "1"))
          .isEqualTo(logged.artifactUri())
          .startsWith("s3://");
    } else {
      assertThat(version.source())
          .isEqualTo(run.info().artifactUri() + "/model")
          .startsWith("s3://");
      assertThat(version.modelId()).isEmpty();
      assertThat(registry.downloadUri(model, "1")).isEqualTo(version.source());
    }
    assertThat(version.tags()).containsEntry("almanac.dev/pipeline", "covid");
    assertThat(registry.createRegisteredModel(model, null)).isFalse();

    var fetched =
        mlflow.fetcher().fetch(ModelUri.parse("models:/" + model + "/1"), tmp.resolve("served"));
    assertThat(fetched.manifest()).isEqualTo(published.manifest());
    assertThat(Files.readString(fetched.directory().resolve("almanac/bundle.json")))
        .contains("forecast");
  }

  @Test
  void publishesThroughTheArtifactProxy(MlflowTestBed.Endpoints bed, @TempDir Path tmp)
      throws Exception {
    var model = "proxied-" + UUID.randomUUID();
    var experiment = "registry-" + model;
    mlflow.tracking().getOrCreateExperiment(experiment, bed.proxiedArtifactRoot() + experiment);
    var published = publish(experiment, model, tmp, Map.of());

    assertThat(registry.downloadUri(model, "1"))
        .startsWith("mlflow-artifacts:/" + experiment + "/");
    var fetched =
        mlflow
            .fetcher()
            .fetch(ModelUri.parse("models:/" + model + "/latest"), tmp.resolve("served"));
    assertThat(fetched.version().version()).isEqualTo("1");
    assertThat(fetched.manifest().files()).hasSize(3);
  }

  @Test
  void stageTransitionsArchiveTheExistingProductionVersion(@TempDir Path tmp) throws Exception {
    var model = "stages-" + UUID.randomUUID();
    var experiment = "registry-" + model;
    publish(experiment, model, tmp, Map.of());
    publish(experiment, model, tmp, Map.of());

    assertThat(registry.transitionStage(model, "1", Stage.STAGING, false).stage())
        .isEqualTo(Stage.STAGING);
    assertThat(registry.transitionStage(model, "1", Stage.PRODUCTION, true).stage())
        .isEqualTo(Stage.PRODUCTION);
    registry.transitionStage(model, "2", Stage.STAGING, true);
    registry.transitionStage(model, "2", Stage.PRODUCTION, true);

    assertThat(registry.getVersion(model, "1").stage()).isEqualTo(Stage.ARCHIVED);
    assertThat(registry.getVersion(model, "2").stage()).isEqualTo(Stage.PRODUCTION);
    assertThat(registry.resolve(ModelUri.parse("models:/" + model + "/Production")).version())
        .isEqualTo("2");
    assertThat(registry.latestVersions(model))
        .extracting(ModelVersionInfo::version, ModelVersionInfo::stage)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("1", Stage.ARCHIVED),
            org.assertj.core.groups.Tuple.tuple("2", Stage.PRODUCTION));
    assertThatThrownBy(() -> registry.resolve(ModelUri.parse("models:/" + model + "/Staging")))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("stage Staging");
  }

  @Test
  void aliasesAreSetMovedAndDeleted(@TempDir Path tmp) throws Exception {
    var model = "aliases-" + UUID.randomUUID();
    var experiment = "registry-" + model;
    publish(experiment, model, tmp, Map.of());
    publish(experiment, model, tmp, Map.of());
    var alias = ModelUri.parse("models:/" + model + "@production");

    registry.setAlias(model, "production", "1");
    assertThat(registry.resolve(alias).version()).isEqualTo("1");
    assertThat(registry.resolve(alias).aliases()).containsExactly("production");

    registry.setAlias(model, "production", "2");
    assertThat(registry.resolve(alias).version()).isEqualTo("2");
    assertThat(registry.getVersion(model, "1").aliases()).isEmpty();
    assertThat(registry.versions(model))
        .extracting(ModelVersionInfo::version, ModelVersionInfo::aliases)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("2", java.util.List.of("production")),
            org.assertj.core.groups.Tuple.tuple("1", java.util.List.of()));

    registry.deleteAlias(model, "production");
    registry.deleteAlias(model, "production");
    assertThatThrownBy(() -> registry.resolve(alias))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("no alias 'production'");
  }

  @Test
  void resolvesEveryUriForm(@TempDir Path tmp) throws Exception {
    var model = "resolve-" + UUID.randomUUID();
    var experiment = "registry-" + model;
    publish(experiment, model, tmp, Map.of());
    publish(experiment, model, tmp, Map.of());
    publish(experiment, model, tmp, Map.of());
    registry.transitionStage(model, "2", Stage.PRODUCTION, true);
    registry.setAlias(model, "champion", "1");
    registry.setVersionTag(model, "3", "almanac.dev/decision", "rejected");

    assertThat(registry.resolve(ModelUri.parse("models:/" + model + "/3")).tags())
        .containsEntry("almanac.dev/decision", "rejected");
    assertThat(registry.resolve(ModelUri.parse("models:/" + model + "@champion")).version())
        .isEqualTo("1");
    assertThat(registry.resolve(ModelUri.parse("models:/" + model + "/production")).version())
        .isEqualTo("2");
    assertThat(registry.resolve(ModelUri.parse("models:/" + model + "/latest")).version())
        .isEqualTo("3");
    assertThatThrownBy(() -> registry.resolve(ModelUri.parse("models:/" + model + "/9")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(
            () ->
                registry.resolve(ModelUri.parse("models:/nope-" + UUID.randomUUID() + "@champion")))
        .isInstanceOf(ResourceNotFoundException.class);
  }
}
