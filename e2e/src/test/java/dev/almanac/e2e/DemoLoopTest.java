package dev.almanac.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.RunDecision;
import dev.almanac.demo.DemoStack;
import dev.almanac.testbed.Timeouts;
import dev.almanac.testbed.Tools;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The capstone: the demo stack (real kube-apiserver, MLflow 3, S3, the operator jar, the trainer
 * and server jars run by the local runner) takes both examples from apply to served predictions;
 * then a run that fails its gate must not change what is served. MLflow sits behind a proxy that
 * refuses stages (as a Unity Catalog-style registry does), so the whole loop runs on aliases alone
 * with the examples' default {@code promotion.stages: Auto}; the operator ITs cover registries with
 * stages.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoLoopTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String NS = DemoStack.NAMESPACE;
  private static DemoStack demo;
  private static DemoStack.RunningDemo stack;
  private static final ByteArrayOutputStream OUTPUT = new ByteArrayOutputStream();
  private static Path state;

  @BeforeAll
  static void startDemo() throws Exception {
    state = Files.createTempDirectory("almanac-e2e");
    var out = new PrintStream(new TeeStream(OUTPUT, System.out), true, StandardCharsets.UTF_8);
    demo = DemoStack.create(state, out).refusingStages();
    try {
      demo.run(Duration.ofMinutes(15));
    } catch (Exception e) {
      throw new AssertionError(
          "demo did not come up:\n" + OUTPUT.toString(StandardCharsets.UTF_8), e);
    }
    stack = demo.running();
  }

  @AfterAll
  static void stopDemo() {
    try {
      if (demo != null) {
        demo.close();
      }
    } finally {
      // the servers' model caches and the Jobs' files: 0.5-1 GB a run, left in /tmp until now
      org.apache.commons.io.FileUtils.deleteQuietly(state == null ? null : state.toFile());
    }
  }

  @Test
  @Order(1)
  void bothPipelinesPromotedAndBothDeploymentsServeTheirVersion() {
    for (var name : List.of("covid-cases", "disease-classifier")) {
      var fp =
          stack.client().resources(ForecastPipeline.class).inNamespace(NS).withName(name).get();
      var md = stack.client().resources(ModelDeployment.class).inNamespace(NS).withName(name).get();
      assertThat(fp.getStatus().getProductionVersion())
          .as("%s production version", name)
          .isNotBlank();
      assertThat(md.getStatus().getServingVersion())
          .isEqualTo(fp.getStatus().getProductionVersion());
      assertThat(md.getStatus().getReadyReplicas()).isPositive();
    }
    assertThat(OUTPUT.toString(StandardCharsets.UTF_8))
        .contains("MLflow UI")
        .contains("make demo-down")
        .contains("export KUBECONFIG=");
  }

  @Test
  @Order(2)
  void kubectlThroughThePrintedKubeconfigShowsProductionVersions() throws Exception {
    var process =
        new ProcessBuilder(
                Tools.kubectl().toString(),
                "--kubeconfig=" + stack.kubeconfig(),
                "get",
                "fp,mdep",
                "-n",
                NS)
            .redirectErrorStream(true)
            .start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    var text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    var version =
        stack
            .client()
            .resources(ForecastPipeline.class)
            .inNamespace(NS)
            .withName("covid-cases")
            .get()
            .getStatus()
            .getProductionVersion();
    assertThat(text)
        .containsPattern(
            "forecastpipeline.almanac.dev/covid-cases\\s+forecast\\s+.*\\s" + version + "\\s+True");
  }

  @Test
  @Order(3)
  void servedModelsAnswer() throws Exception {
    var forecast =
        post(server("covid-cases"), "/v1/forecast", Map.of("series", "USA", "horizon", 28));
    assertThat(forecast.path("values")).hasSize(28);
    assertThat(forecast.path("dates").get(0).asText()).isEqualTo("2021-04-25");
    var diagnosis =
        post(
            server("disease-classifier"),
            "/v1/predict",
            Map.of("symptoms", List.of("itching", "skin_rash", "nodal_skin_eruptions"), "topK", 3));
    assertThat(diagnosis.toString()).contains("Fungal infection");
    var dashboard =
        HTTP.send(
            HttpRequest.newBuilder(server("covid-cases").resolve("/")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(dashboard.statusCode()).isEqualTo(200);
  }

  @Test
  @Order(3)
  void promotionWroteBatchPredictionsForEverySeries() {
    var version =
        stack
            .client()
            .resources(ForecastPipeline.class)
            .inNamespace(NS)
            .withName("covid-cases")
            .get()
            .getStatus()
            .getProductionVersion();
    var uri = "s3://almanac/models/predictions/covid-cases/v" + version;
    // moto keeps buckets private like S3 does: read with (any) credentials, and verify the
    // manifest.
    var s3 = dev.almanac.registry.S3Settings.of(stack.s3(), "us-east-1", "e2e", "e2e");
    await()
        .atMost(Timeouts.seconds(3 * 60))
        .pollInterval(Duration.ofSeconds(2))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              var target = Files.createTempDirectory("batch").resolve("out");
              try (var registry =
                  new dev.almanac.registry.MlflowConnection(
                      dev.almanac.registry.MlflowSettings.of(stack.mlflow()), s3)) {
                registry.artifacts().downloadDirectory(uri, target);
              }
              var lines = Files.readAllLines(target.resolve("predictions.csv"));
              assertThat(lines).hasSize(1 + 10 * 28);
              assertThat(lines.get(1)).contains(",covid-cases," + version + ",");
            });
  }

  @Test
  @Order(4)
  void aRunThatFailsItsGateChangesNothingThatIsServed() throws Exception {
    var fps =
        stack.client().resources(ForecastPipeline.class).inNamespace(NS).withName("covid-cases");
    var before = fps.get();
    var production = before.getStatus().getProductionVersion();
    int runsBefore = before.getStatus().getRuns().size();
    var served = post(server("covid-cases"), "/v1/forecast", Map.of("series", "DEU", "horizon", 7));

    fps.edit(
        fp -> {
          fp.getSpec().getValidation().setThreshold("0.0001"); // no model reaches this MASE
          fp.getMetadata().getAnnotations().put("almanac.dev/run-now", "gate-test");
          return fp;
        });
    var after =
        fps.waitUntilCondition(
            fp ->
                fp.getStatus() != null
                    && fp.getStatus().getRuns() != null
                    && fp.getStatus().getRuns().size() > runsBefore
                    && fp.getStatus().getRuns().get(0).getDecision() != null,
            10,
            TimeUnit.MINUTES);

    assertThat(after.getStatus().getRuns().get(0).getDecision()).isEqualTo(RunDecision.GateFailed);
    assertThat(after.getStatus().getProductionVersion()).isEqualTo(production);
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Timeouts.seconds(30))
        .untilAsserted(
            () -> {
              var md =
                  stack
                      .client()
                      .resources(ModelDeployment.class)
                      .inNamespace(NS)
                      .withName("covid-cases")
                      .get();
              assertThat(md.getStatus().getServingVersion()).isEqualTo(production);
            });
    var again = post(server("covid-cases"), "/v1/forecast", Map.of("series", "DEU", "horizon", 7));
    assertThat(again.path("version").asText())
        .isEqualTo(served.path("version").asText())
        .isEqualTo(production);
    assertThat(again.path("values")).isEqualTo(served.path("values"));
  }

  @Test
  @Order(5)
  void theLoopRanOnAliasesWithStagesRefused() {
    assertThat(demo.refusedStageCalls())
        .as("the trainer and the operator tried stages (Auto) and went on")
        .isPositive();
    var version =
        stack
            .client()
            .resources(ForecastPipeline.class)
            .inNamespace(NS)
            .withName("covid-cases")
            .get()
            .getStatus()
            .getProductionVersion();
    var registry =
        new dev.almanac.registry.MlflowModelRegistry(
            new dev.almanac.registry.MlflowHttp(
                dev.almanac.registry.MlflowSettings.of(stack.mlflow())));
    var production = registry.versionByAlias("covid-cases", "production");
    assertThat(production.version()).isEqualTo(version);
    assertThat(production.tags()).containsEntry("almanac.role", "production");
    assertThat(production.stage()).isEqualTo(dev.almanac.registry.Stage.NONE);
  }

  @Test
  @Order(6)
  void aRetrainOnUnchangedDataTiesWithProductionAndKeepsIt() {
    var fps =
        stack.client().resources(ForecastPipeline.class).inNamespace(NS).withName("covid-cases");
    var before = fps.get();
    var production = before.getStatus().getProductionVersion();
    var newestBefore = before.getStatus().getRuns().get(0).getName();
    fps.edit(
        fp -> {
          fp.getSpec().getValidation().setThreshold("8.0"); // the example's own threshold again
          fp.getMetadata().getAnnotations().put("almanac.dev/run-now", "tie-test");
          return fp;
        });
    var after = awaitDecision(fps, newestBefore);
    var run = after.getStatus().getRuns().get(0);
    // the champion is scored by its validation-window model, which never saw this holdout: on the
    // same data it is the same model, so the two values tie instead of production winning
    assertThat(run.getReason())
        .as(run.toString())
        .contains("ties production version " + production);
    assertThat(after.getStatus().getProductionVersion()).isEqualTo(production);
  }

  @Test
  @Order(7)
  void aThreeShardRunRegistersOneMergedVersionThatServesEverySeries() throws Exception {
    var fps =
        stack.client().resources(ForecastPipeline.class).inNamespace(NS).withName("covid-cases");
    var registry =
        new dev.almanac.registry.MlflowModelRegistry(
            new dev.almanac.registry.MlflowHttp(
                dev.almanac.registry.MlflowSettings.of(stack.mlflow())));
    int versionsBefore = registry.versions("covid-cases").size();
    var newestBefore = fps.get().getStatus().getRuns().get(0).getName();
    fps.edit(
        fp -> {
          fp.getSpec().setGlobal(false); // a global model cannot be sharded (CEL)
          var trainer = fp.getSpec().getTrainer();
          trainer.setShards(3);
          fp.getSpec().getValidation().setMustBeatProduction(false);
          fp.getMetadata().getAnnotations().put("almanac.dev/run-now", "shards-test");
          return fp;
        });
    var after = awaitDecision(fps, newestBefore);
    var run = after.getStatus().getRuns().get(0);
    assertThat(run.getDecision()).as(run.toString()).isEqualTo(RunDecision.Promoted);
    assertThat(run.getJob()).isEqualTo(run.getName() + "-merge");
    var version = run.getModelVersion();
    assertThat(after.getStatus().getProductionVersion()).isEqualTo(version);
    assertThat(registry.versions("covid-cases"))
        .as("the shards registered nothing; the merge one version")
        .hasSize(versionsBefore + 1);
    await()
        .atMost(Timeouts.seconds(5 * 60))
        .pollInterval(Duration.ofSeconds(2))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              var md =
                  stack
                      .client()
                      .resources(ModelDeployment.class)
                      .inNamespace(NS)
                      .withName("covid-cases")
                      .get();
              assertThat(md.getStatus().getServingVersion()).isEqualTo(version);
              assertThat(md.getStatus().getReadyReplicas()).isPositive();
              for (var series :
                  List.of("USA", "GBR", "DEU", "FRA", "ITA", "IND", "BRA", "ZAF", "JPN", "CAN")) {
                var forecast =
                    post(
                        server("covid-cases"),
                        "/v1/forecast",
                        Map.of("series", series, "horizon", 7));
                assertThat(forecast.path("version").asText()).as(series).isEqualTo(version);
                assertThat(forecast.path("values")).as(series).hasSize(7);
              }
            });
  }

  private static ForecastPipeline awaitDecision(
      io.fabric8.kubernetes.client.dsl.Resource<ForecastPipeline> fps, String newestBefore) {
    // by name, not by count: the history limit keeps the number of runs bounded
    return fps.waitUntilCondition(
        fp ->
            fp.getStatus() != null
                && fp.getStatus().getRuns() != null
                && !fp.getStatus().getRuns().get(0).getName().equals(newestBefore)
                && fp.getStatus().getRuns().get(0).getDecision() != null,
        15,
        TimeUnit.MINUTES);
  }

  private static URI server(String modelDeployment) {
    var deployments =
        stack.client().apps().deployments().inNamespace(NS).list().getItems().stream()
            .filter(
                d ->
                    d.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> modelDeployment.equals(o.getName())))
            .map(d -> d.getMetadata().getName())
            .toList();
    assertThat(deployments).as("Deployments owned by %s", modelDeployment).hasSize(1);
    var urls = stack.runner().endpoints(NS, deployments.get(0));
    assertThat(urls).isNotEmpty();
    return urls.get(0);
  }

  private static JsonNode post(URI base, String path, Object body) throws Exception {
    var response =
        HTTP.send(
            HttpRequest.newBuilder(base.resolve(path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("%s %s", path, response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** Keeps the demo's progress in the test log and in memory for assertions. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws java.io.IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
