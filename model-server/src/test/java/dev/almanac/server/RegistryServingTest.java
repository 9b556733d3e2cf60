package dev.almanac.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.almanac.registry.MlflowConnection;
import dev.almanac.registry.RunStatus;
import dev.almanac.server.bundle.BundleModelLoader;
import dev.almanac.server.bundle.RegistryModelSource;
import dev.almanac.server.model.BatchSettings;
import dev.almanac.testbed.MlflowTestBed;
import dev.almanac.testbed.Timeouts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serving {@code models:/name@alias} from a real MLflow server with artifacts in a real S3 server
 * (moto).
 */
@Tag("integration")
@ExtendWith(MlflowTestBed.class)
class RegistryServingTest {
  @TempDir Path tmp;

  @Test
  void servesAnAliasAndFollowsItOnReload(MlflowTestBed.Endpoints bed) throws Exception {
    String model = "disease-" + UUID.randomUUID().toString().substring(0, 8);
    try (MlflowConnection mlflow = MlflowConnection.fromEnv(bed.env())) {
      var experiment = mlflow.tracking().getOrCreateExperiment("server-" + model).id();
      for (String v : List.of("1", "2")) {
        var run = mlflow.tracking().startRun(experiment, null, Map.of());
        Path dir =
            TestBundles.classifier(tmp.resolve("src" + v), "bundle-name-is-ignored", "run-" + v);
        mlflow.publisher().publish(run.runId(), dir, model, Map.of());
        mlflow.tracking().endRun(run.runId(), RunStatus.FINISHED);
      }
      mlflow.registry().setAlias(model, "production", "1");

      Path cache = tmp.resolve("cache");
      ServerConfig c =
          ServerHarness.config(List.of("models:/" + model + "@production"))
              .withCacheDir(cache)
              .withAdmin(ServerHarness.admin());
      try (ServerHarness h =
          ServerHarness.start(
              c,
              m ->
                  new BundleModelLoader(
                      new RegistryModelSource(cache, bed.env()),
                      BatchSettings.ofMillis(c.maxBatchSize(), c.maxDelayMillis()),
                      m))) {
        await().atMost(Timeouts.seconds(60)).until(h.server::isReady);
        var p =
            h.post("/v1/predict", new JsonObject().put("symptoms", new JsonArray().add("itching")));
        assertThat(p.statusCode()).isEqualTo(200);
        assertThat(p.bodyAsJsonObject().getString("model")).isEqualTo(model);
        assertThat(p.bodyAsJsonObject().getString("version")).isEqualTo("1");
        var runOfVersion1 = mlflow.registry().getVersion(model, "1").runId();
        assertThat(cache.resolve(model).resolve("1-" + runOfVersion1).resolve("almanac.json"))
            .exists();

        mlflow.registry().setAlias(model, "production", "2");
        var r = h.adminLoad(model, null);
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        assertThat(r.bodyAsJsonObject().getString("version")).isEqualTo("2");
        assertThat(r.bodyAsJsonObject().getString("previousVersion")).isEqualTo("1");
        assertThat(h.get("/v2/models/" + model + "/versions/2/ready").statusCode()).isEqualTo(200);

        var missing = h.adminLoad(model, new JsonObject().put("uri", "models:/" + model + "/9"));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.bodyAsJsonObject().getString("error"))
            .contains("models:/" + model + "/9")
            .contains("still serving version 2");
        assertThat(
                Files.list(cache)
                    .filter(f -> f.getFileName().toString().startsWith(".download-"))
                    .toList())
            .isEmpty();
      }
    }
  }

  @Test
  void twoServersSharingACacheBothLoadTheSameVersion(MlflowTestBed.Endpoints bed) throws Exception {
    String model = "race-" + UUID.randomUUID().toString().substring(0, 8);
    try (MlflowConnection mlflow = MlflowConnection.fromEnv(bed.env())) {
      var experiment = mlflow.tracking().getOrCreateExperiment("server-" + model).id();
      var run = mlflow.tracking().startRun(experiment, null, Map.of());
      mlflow
          .publisher()
          .publish(
              run.runId(),
              TestBundles.classifier(tmp.resolve("src"), "x", "run-1"),
              model,
              Map.of());
      mlflow.tracking().endRun(run.runId(), RunStatus.FINISHED);
    }
    Path cache = tmp.resolve("shared-cache");
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      var results = new java.util.ArrayList<java.util.concurrent.Future<Path>>();
      for (int i = 0; i < 4; i++) {
        // separate sources = separate servers (replicas on one node share /tmp)
        results.add(
            pool.submit(
                () ->
                    new RegistryModelSource(cache, bed.env())
                        .resolve("models:/" + model + "/1")
                        .dir()));
      }
      for (var r : results) {
        assertThat(r.get(2, java.util.concurrent.TimeUnit.MINUTES).resolve("MLmodel")).exists();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
