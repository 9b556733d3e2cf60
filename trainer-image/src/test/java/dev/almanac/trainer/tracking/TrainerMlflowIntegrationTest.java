package dev.almanac.trainer.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.almanac.ml.bundle.ModelBundle;
import dev.almanac.registry.LoggedModelStatus;
import dev.almanac.registry.MlflowConnection;
import dev.almanac.registry.Stage;
import dev.almanac.testbed.MlflowProxy;
import dev.almanac.testbed.MlflowTestBed;
import dev.almanac.testbed.MlflowVersion;
import dev.almanac.testbed.PostgresTestBed;
import dev.almanac.testbed.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer as the Job runs it (a separate process, credentials from the environment) against the
 * real MLflow + S3 servers: the run is recorded, a version lands as the challenger (alias, tags,
 * Staging where the registry has stages; alias only where it refuses them), Python MLflow loads
 * that version and predicts what Java predicts, and the next run is compared with the production
 * version on the same holdout.
 */
@Tag("integration")
@ExtendWith({MlflowTestBed.class, PostgresTestBed.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainerMlflowIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "covid-trainer-it";
  @TempDir static Path tmp;

  static String spec(MlflowTestBed.Endpoints bed) {
    return """
        apiVersion: almanac.dev/v1alpha1
        kind: ForecastPipeline
        metadata: {name: covid-it, namespace: team-a}
        spec:
          task: forecast
          data:
            source: {path: owid-covid/owid-covid-slim.csv.gz}
            seriesColumn: iso_code
            series: [DEU, JPN]
            target: new_cases
          models: [{type: Linear}, {type: Ridge}, {type: SeasonalNaive}]
          horizon: 14
          validation: {holdoutDays: 30, metric: MASE, threshold: "50"}
          mlflow: {trackingUri: "%s", experiment: covid-it, registeredModel: %s}
          artifacts: {s3: {bucket: %s, endpoint: "%s", pathStyle: true}}
        """
        .formatted(bed.trackingUri(), MODEL, bed.bucket(), bed.s3Endpoint());
  }

  record Outcome(int exit, String log, JsonNode termination) {}

  static Outcome train(MlflowTestBed.Endpoints bed, String run) throws Exception {
    var dir = tmp.resolve(run);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("pipeline.yaml"), spec(bed));
    return trainProcess(bed, tmp, dir.resolve("pipeline.yaml"), run);
  }

  /** The trainer as a Job runs it: its own process, the test bed's settings in the environment. */
  static Outcome trainProcess(MlflowTestBed.Endpoints bed, Path root, Path spec, String run)
      throws Exception {
    return trainProcess(bed, root, spec, run, List.of());
  }

  static Outcome trainProcess(
      MlflowTestBed.Endpoints bed, Path root, Path spec, String run, List<String> extraArgs)
      throws Exception {
    return trainProcess(bed, root, spec, run, run, extraArgs);
  }

  /** {@code dirName}: where this process works (shards of one run need one each). */
  static Outcome trainProcess(
      MlflowTestBed.Endpoints bed,
      Path root,
      Path spec,
      String dirName,
      String run,
      List<String> extraArgs)
      throws Exception {
    var dir = root.resolve(dirName);
    Files.createDirectories(dir);
    var termination = dir.resolve("termination-log");
    Files.createFile(termination);
    var command = new ArrayList<String>();
    command.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xss4m",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.almanac.trainer.TrainerCli",
            "--spec",
            spec.toString(),
            "--output",
            dir.resolve("out").toString(),
            "--run-id",
            run,
            "--threads",
            "1"));
    command.addAll(extraArgs);
    var builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("log.txt").toFile());
    builder.environment().putAll(bed.env());
    builder.environment().put("ALMANAC_DATA_DIR", Tools.dataDir().toString());
    builder.environment().put("ALMANAC_TERMINATION_LOG", termination.toString());
    builder.environment().put("DJL_OFFLINE", "true");
    var process = builder.start();
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    var log = Files.readString(dir.resolve("log.txt"));
    var text = Files.readString(termination);
    return new Outcome(process.exitValue(), log, text.isBlank() ? null : JSON.readTree(text));
  }

  @Test
  @Order(1)
  void firstRunRegistersAVersionInStagingWithItsFacts(MlflowTestBed.Endpoints bed)
      throws Exception {
    var outcome = train(bed, "run-1");
    assertThat(outcome.exit()).as(outcome.log()).isZero();
    var t = outcome.termination();
    assertThat(t.path("status").asText()).isEqualTo("succeeded");
    assertThat(t.path("metric").asText()).isEqualTo("MASE");
    assertThat(t.path("value").asDouble()).isPositive();
    assertThat(t.has("championVersion")).isFalse();
    var version = t.path("modelVersion").asText();

    try (var mlflow = MlflowConnection.fromEnv(bed.env())) {
      var v = mlflow.registry().getVersion(MODEL, version);
      assertThat(v.stage())
          .as("promotion.stages Auto on a registry with stages")
          .isEqualTo(Stage.STAGING);
      assertThat(v.aliases()).containsExactly("challenger");
      assertThat(v.tags()).containsEntry("almanac.role", "challenger");
      assertThat(v.tags())
          .containsEntry("almanac.pipeline", "covid-it")
          .containsEntry("almanac.namespace", "team-a")
          .containsEntry("almanac.run", "run-1")
          .containsEntry("almanac.metric", "MASE")
          .containsKey("almanac.data_sha256");
      var run = mlflow.tracking().getRun(t.path("mlflowRunId").asText());
      assertThat(run.toString())
          .contains("holdout_days")
          .contains("mase.DEU")
          .contains("owid-covid-slim.csv.gz");
      var mlmodel = mlflow.registry().mlmodel(MODEL, version);
      assertThat(mlmodel.mlflowVersion()).as("no Python MLflow wrote this MLmodel").isEmpty();
      if (bed.version() == MlflowVersion.V3) {
        // the bundle is a logged model of the run, and the version is registered from it
        assertThat(v.source()).isEqualTo("models:/" + v.modelId());
        var logged = mlflow.loggedModels().get(v.modelId());
        assertThat(logged.status()).isEqualTo(LoggedModelStatus.READY);
        assertThat(logged.sourceRunId()).isEqualTo(run.info().runId());
        assertThat(mlmodel.modelId()).contains(v.modelId());
        assertThat(mlflow.loggedModels().metrics(v.modelId()))
            .anySatisfy(m -> assertThat(m.metric().key()).isEqualTo("mase"))
            .allSatisfy(m -> assertThat(m.datasetName()).isNotEmpty());
      } else {
        assertThat(v.modelId()).isEmpty();
        assertThat(mlmodel.modelId()).isEmpty();
      }
    }
  }

  @Test
  @Order(2)
  void pythonMlflowLoadsTheVersionAndPredictsWhatJavaPredicts(MlflowTestBed.Endpoints bed)
      throws Exception {
    var bundle = ModelBundle.load(tmp.resolve("run-1/out"));
    int features = (int) bundle.onnx().inputShape()[1];
    var rows = new float[3][features];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < features; j++) {
        rows[i][j] = (float) ((i + 1) * 0.1 + j * 0.01);
      }
    }
    var java = bundle.onnx().predict(rows);
    var script =
        """
        import json, sys, numpy as np, mlflow.pyfunc, mlflow.onnx
        rows = np.array(json.loads(sys.argv[1]), dtype=np.float32)
        py = mlflow.pyfunc.load_model("models:/%s/1")
        out = py.predict({"features": rows})
        onnx_model = mlflow.onnx.load_model("models:/%s/1")
        print(json.dumps([float(v) for v in np.asarray(out["prediction"]).reshape(-1)]))
        """
            .formatted(MODEL, MODEL);
    var rowsJson = JSON.writeValueAsString(rows);
    try (var mlflow = MlflowConnection.fromEnv(bed.env())) {
      assertThat(mlflow.registry().downloadUri(MODEL, "1"))
          .as("the server proxies artifacts: the version is readable through MLflow")
          .startsWith("mlflow-artifacts:/almanac/covid-it/");
    }
    var builder =
        new ProcessBuilder(bed.version().python().toString(), "-c", script, rowsJson)
            .redirectErrorStream(false);
    // only the tracking URI: no S3 keys or endpoint, as a data scientist's laptop has
    builder.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("MLFLOW_"));
    builder.environment().put("MLFLOW_TRACKING_URI", bed.trackingUri().toString());
    builder.environment().put("GIT_PYTHON_REFRESH", "quiet");
    var process = builder.start();
    var stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    var stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(stderr).isZero();
    var lines = stdout.lines().filter(l -> l.startsWith("[")).toList();
    var python = JSON.readTree(lines.get(lines.size() - 1));
    var values = new ArrayList<Double>();
    python.forEach(n -> values.add(n.asDouble()));
    assertThat(values).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(values.get(i))
          .isCloseTo(
              java[i],
              org.assertj.core.api.Assertions.within(1e-4 * Math.max(1, Math.abs(java[i]))));
    }
  }

  @Test
  @Order(3)
  void theNextRunIsComparedWithProductionOnTheSameHoldout(MlflowTestBed.Endpoints bed)
      throws Exception {
    try (var mlflow = MlflowConnection.fromEnv(bed.env())) {
      mlflow.registry().transitionStage(MODEL, "1", Stage.PRODUCTION, true);
      mlflow.registry().setAlias(MODEL, "production", "1");
    }
    var chartDirsBefore = workDirs("almanac-charts");
    var outcome = train(bed, "run-2");
    assertThat(outcome.exit()).as(outcome.log()).isZero();
    assertThat(outcome.log()).contains("champion: version 1 downloaded");
    assertThat(tmp.resolve("run-2").resolve("out.champion"))
        .as("the downloaded champion is removed when the run ends")
        .doesNotExist();
    assertThat(workDirs("almanac-charts"))
        .as("the rendered charts are removed once uploaded")
        .isSubsetOf(chartDirsBefore);
    var t = outcome.termination();
    assertThat(t.path("modelVersion").asText()).isEqualTo("2");
    assertThat(t.path("championVersion").asText()).isEqualTo("1");
    // The champion is scored by its validation-window model (fitted before the holdout): on the
    // same data it is the challenger's own holdout model, so the two tie (float32 ONNX aside).
    assertThat(t.path("championMetric").asDouble())
        .isPositive()
        .isCloseTo(
            t.path("value").asDouble(), org.assertj.core.api.Assertions.withinPercentage(0.01));
    try (var mlflow = MlflowConnection.fromEnv(bed.env())) {
      assertThat(mlflow.registry().getVersion(MODEL, "2").tags())
          .containsEntry("almanac.champion_version", "1")
          .containsKey("almanac.champion_value");
    }
  }

  @Test
  @Order(3)
  void aScheduledRunSkipsWhenDataAndTrainingSpecEqualProductions(MlflowTestBed.Endpoints bed)
      throws Exception {
    var model = MODEL + "-skip";
    var root = tmp.resolve("skip");
    Files.createDirectories(root);
    var spec = root.resolve("pipeline.yaml");
    Files.writeString(spec, spec(bed).replace(MODEL, model));
    var first = trainProcess(bed, root, spec, "s-1", List.of("--training-spec-digest", "abc"));
    assertThat(first.exit()).as(first.log()).isZero();
    try (var mlflow = MlflowConnection.fromEnv(bed.env())) {
      var tags = mlflow.registry().getVersion(model, "1").tags();
      assertThat(tags)
          .containsEntry(UnchangedSinceProduction.TRAINING_SPEC_TAG, "abc")
          .containsKey(UnchangedSinceProduction.INPUTS_TAG);
      mlflow.registry().setAlias(model, "production", "1");
    }

    var skipped =
        trainProcess(
            bed,
            root,
            spec,
            "s-2",
            List.of("--training-spec-digest", "abc", "--skip-if-unchanged"));
    assertThat(skipped.exit()).as(skipped.log()).isZero();
    assertThat(skipped.termination().path("status").asText()).isEqualTo("skipped");
    assertThat(skipped.termination().path("reason").asText())
        .contains("unchanged since production version 1");
    assertThat(skipped.log()).doesNotContain("[train+holdout]");

    var edited =
        trainProcess(
            bed,
            root,
            spec,
            "s-3",
            List.of("--training-spec-digest", "def", "--skip-if-unchanged"));
    assertThat(edited.exit()).as(edited.log()).isZero();
    assertThat(edited.termination().path("status").asText())
        .as("a changed training spec trains")
        .isEqualTo("succeeded");
    try (var mlflow = MlflowConnection.fromEnv(bed.env())) {
      assertThat(mlflow.registry().versions(model)).hasSize(2);
    }
  }

  @Test
  @Order(3)
  void shardsLeavePartialsInS3AndTheMergeRegistersOneVersion(MlflowTestBed.Endpoints bed)
      throws Exception {
    var model = MODEL + "-shards";
    var root = tmp.resolve("shards");
    Files.createDirectories(root);
    var spec = root.resolve("pipeline.yaml");
    Files.writeString(
        spec, spec(bed).replace(MODEL, model).replace("[DEU, JPN]", "[DEU, JPN, FRA]"));
    // side by side, as the Indexed Job runs them
    var tasks = new ArrayList<java.util.concurrent.Callable<Outcome>>();
    for (int i = 0; i < 3; i++) {
      var args = List.of("--shard", Integer.toString(i), "--shards", "3");
      var dirName = "shard-" + i;
      tasks.add(() -> trainProcess(bed, root, spec, dirName, "sh-1", args));
    }
    var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    List<java.util.concurrent.Future<Outcome>> shards;
    try {
      shards = pool.invokeAll(tasks);
    } finally {
      pool.shutdown();
    }
    for (int i = 0; i < 3; i++) {
      var shard = shards.get(i).get();
      assertThat(shard.exit()).as(shard.log()).isZero();
      assertThat(shard.termination().path("status").asText()).isEqualTo("partial");
      assertThat(shard.termination().path("reason").asText())
          .contains("s3://" + bed.bucket() + "/shards/sh-1/shard-" + i);
    }
    try (var mlflow = MlflowConnection.fromEnv(bed.env())) {
      assertThat(mlflow.registry().searchVersions("name='" + model + "'"))
          .as("shards register nothing")
          .isEmpty();
    }
    var merge = trainProcess(bed, root, spec, "merge", "sh-1", List.of("--merge-shards", "3"));
    assertThat(merge.exit()).as(merge.log()).isZero();
    var t = merge.termination();
    assertThat(t.path("status").asText()).isEqualTo("succeeded");
    assertThat(t.path("modelVersion").asText()).isEqualTo("1");
    try (var mlflow = MlflowConnection.fromEnv(bed.env())) {
      assertThat(mlflow.registry().versions(model)).hasSize(1);
      var fetched =
          mlflow
              .fetcher()
              .fetch(mlflow.registry().getVersion(model, "1"), root.resolve("fetched"))
              .directory();
      try (var bundle = ModelBundle.load(fetched)) {
        assertThat(bundle.series()).containsExactlyInAnyOrder("DEU", "JPN", "FRA");
      }
    }
  }

  @Test
  @Order(4)
  void unreachableMlflowFailsClearlyAndRegistersNothing(MlflowTestBed.Endpoints bed)
      throws Exception {
    var broken =
        new MlflowTestBed.Endpoints(
            java.net.URI.create("http://127.0.0.1:1"),
            bed.s3Endpoint(),
            bed.bucket(),
            bed.region(),
            bed.accessKey(),
            bed.secretKey());
    var outcome = train(broken, "run-down");
    assertThat(outcome.exit()).isNotZero();
    assertThat(outcome.termination().path("status").asText()).isEqualTo("failed");
    assertThat(outcome.termination().path("reason").asText())
        .contains("MLflow")
        .contains("127.0.0.1:1");
    try (var mlflow = MlflowConnection.fromEnv(bed.env())) {
      assertThat(mlflow.registry().versions(MODEL)).hasSize(2);
    }
  }

  @Test
  @Order(5)
  void withoutStagesTheNewVersionIsTheChallengerByAliasOnly(MlflowTestBed.Endpoints bed)
      throws Exception {
    try (var stageless = MlflowProxy.refusingStages(bed.trackingUri())) {
      var viaProxy =
          new MlflowTestBed.Endpoints(
              stageless.trackingUri(),
              bed.s3Endpoint(),
              bed.bucket(),
              bed.region(),
              bed.accessKey(),
              bed.secretKey(),
              bed.version());
      var outcome = train(viaProxy, "run-stageless");
      assertThat(outcome.exit()).as(outcome.log()).isZero();
      assertThat(outcome.log()).contains("the registry has no stages");
      assertThat(stageless.refusedStageCalls())
          .as("the trainer tried stages once (Auto)")
          .isPositive();
      var version = outcome.termination().path("modelVersion").asText();
      assertThat(outcome.termination().path("championVersion").asText())
          .as("champion found by alias")
          .isEqualTo("1");
      try (var mlflow = MlflowConnection.fromEnv(bed.env())) {
        var v = mlflow.registry().getVersion(MODEL, version);
        assertThat(v.stage()).isEqualTo(Stage.NONE);
        assertThat(v.aliases()).containsExactly("challenger");
        assertThat(v.tags()).containsEntry("almanac.role", "challenger");
        assertThat(mlflow.registry().getVersion(MODEL, "2").aliases())
            .as("the alias moved on")
            .isEmpty();
      }
    }
  }

  @Test
  @Order(6)
  void batchPredictionWritesEverySeriesOfTheVersionToS3(MlflowTestBed.Endpoints bed)
      throws Exception {
    var output = "s3://" + bed.bucket() + "/predictions/covid-it/v1";
    var log = new java.io.ByteArrayOutputStream();
    var workDirsBefore = batchWorkDirs();
    int code =
        dev.almanac.trainer.BatchPredictCli.run(
            new String[] {
              "--model", "models:/" + MODEL + "/1", "--horizon", "5", "--output", output
            },
            new java.io.PrintStream(log, true, StandardCharsets.UTF_8),
            bed.env());
    assertThat(code).as(log.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(batchWorkDirs())
        .as("the batch's downloaded model and local files are removed")
        .isSubsetOf(workDirsBefore);

    var target = tmp.resolve("batch");
    try (var mlflow = MlflowConnection.fromEnv(bed.env())) {
      mlflow.artifacts().downloadDirectory(output, target);
    }
    var csv = Files.readAllLines(target.resolve("predictions.csv"));
    assertThat(csv.get(0))
        .isEqualTo(
            "series,date,value,model,version,generated_at,lower_80,upper_80,lower_95,upper_95");
    assertThat(csv).hasSize(1 + 2 * 5);
    assertThat(csv.get(1)).startsWith("DEU,2021-04-25,").contains("," + MODEL + ",1,");
    for (String row : csv.subList(1, csv.size())) {
      String[] f = row.split(",", -1);
      assertThat(f).as(row).hasSize(10);
      if (!f[6].isEmpty()) { // a bundle with intervals: the 95 % band holds the 80 % one
        double value = Double.parseDouble(f[2]);
        assertThat(Double.parseDouble(f[8])).as(row).isLessThanOrEqualTo(Double.parseDouble(f[6]));
        assertThat(Double.parseDouble(f[6])).as(row).isLessThanOrEqualTo(value);
        assertThat(Double.parseDouble(f[7])).as(row).isGreaterThanOrEqualTo(value);
        assertThat(Double.parseDouble(f[9]))
            .as(row)
            .isGreaterThanOrEqualTo(Double.parseDouble(f[7]));
      }
    }
    var json = JSON.readTree(target.resolve("predictions.json").toFile());
    assertThat(json.path("version").asText()).isEqualTo("1");
    assertThat(json.path("series")).hasSize(2);
    assertThat(json.path("series").get(0).path("values")).hasSize(5);

    int bad =
        dev.almanac.trainer.BatchPredictCli.run(
            new String[] {"--model", "not-a-uri", "--output", output},
            new java.io.PrintStream(
                new java.io.ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            bed.env());
    assertThat(bad).isEqualTo(2);
  }

  @Test
  @Order(6)
  void batchPredictionAlsoUpsertsIntoPostgresAndFailsClearlyOnBadCredentials(
      MlflowTestBed.Endpoints bed, PostgresTestBed.Endpoints pg) throws Exception {
    var env = new java.util.HashMap<>(bed.env());
    env.put("ALMANAC_POSTGRES_USER", pg.user());
    env.put("ALMANAC_POSTGRES_PASSWORD", pg.password());
    env.put("ALMANAC_PIPELINE", "covid-it");
    var args =
        new String[] {
          "--model",
          "models:/" + MODEL + "/1",
          "--horizon",
          "5",
          "--output",
          tmp.resolve("batch-pg").toString(),
          "--postgres-url",
          pg.jdbcUrl(),
          "--postgres-table",
          "trainer_it_predictions"
        };
    for (int run = 0; run < 2; run++) { // twice: the second run replaces the rows
      var log = new java.io.ByteArrayOutputStream();
      int code =
          dev.almanac.trainer.BatchPredictCli.run(
              args, new java.io.PrintStream(log, true, StandardCharsets.UTF_8), env);
      assertThat(code).as(log.toString(StandardCharsets.UTF_8)).isZero();
      assertThat(log.toString(StandardCharsets.UTF_8))
          .contains("10 rows upserted into trainer_it_predictions");
    }
    try (var c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
        var r =
            c.createStatement()
                .executeQuery(
                    "SELECT pipeline, model, model_version, series, min(horizon_step), max(horizon_step), "
                        + "count(*) FROM trainer_it_predictions GROUP BY 1, 2, 3, 4 ORDER BY series")) {
      var rows = new ArrayList<String>();
      while (r.next()) {
        rows.add(
            r.getString(1)
                + " "
                + r.getString(2)
                + " v"
                + r.getString(3)
                + " "
                + r.getString(4)
                + " steps "
                + r.getInt(5)
                + ".."
                + r.getInt(6)
                + " x"
                + r.getInt(7));
      }
      assertThat(rows)
          .containsExactly(
              "covid-it " + MODEL + " v1 DEU steps 1..5 x5",
              "covid-it " + MODEL + " v1 JPN steps 1..5 x5");
    }

    env.put("ALMANAC_POSTGRES_PASSWORD", "not-the-password");
    var log = new java.io.ByteArrayOutputStream();
    int code =
        dev.almanac.trainer.BatchPredictCli.run(
            args, new java.io.PrintStream(log, true, StandardCharsets.UTF_8), env);
    assertThat(code).isEqualTo(1);
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains(
            "[error] PostgreSQL: PostgreSQL at "
                + pg.jdbcUrl()
                + " rejected the credentials of user '"
                + pg.user()
                + "'")
        .doesNotContain("not-the-password");
  }

  private static java.util.Set<String> batchWorkDirs() throws java.io.IOException {
    return workDirs("almanac-batch");
  }

  private static java.util.Set<String> workDirs(String prefix) throws java.io.IOException {
    try (var dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return dirs.map(d -> d.getFileName().toString())
          .filter(n -> n.startsWith(prefix))
          .collect(java.util.stream.Collectors.toSet());
    }
  }
}
