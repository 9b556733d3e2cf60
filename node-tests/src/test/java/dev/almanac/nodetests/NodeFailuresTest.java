package dev.almanac.nodetests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.RunPhase;
import dev.almanac.demo.ClusterStack;
import dev.almanac.testbed.RealNode;
import dev.almanac.testbed.Timeouts;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What only a real node shows: a promotion rolling the model server's Deployment under load, the
 * operator's leader pod deleted in the middle of a run, a trainer killed by the kernel for memory.
 * Runs after {@link NodeLoopTest} on the same cluster (both examples promoted and serving).
 */
@Tag("integration")
@Tag("node")
@Order(2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeFailuresTest {
  private static ClusterStack cluster;

  @BeforeAll
  static void cluster() throws Exception {
    assumeFalse(RealNode.skipped(), "ALMANAC_SKIP_NODE_TESTS=true");
    cluster = NodeCluster.shared();
    for (var name : List.of("covid-cases", "disease-classifier")) {
      await()
          .atMost(Timeouts.seconds(15 * 60))
          .pollInterval(Duration.ofSeconds(2))
          .until(
              () -> {
                var md =
                    cluster
                        .client
                        .resources(ModelDeployment.class)
                        .inNamespace(NodeCluster.NAMESPACE)
                        .withName(name)
                        .get();
                return md != null
                    && md.getStatus() != null
                    && md.getStatus().getServingVersion() != null
                    && md.getStatus().getReadyReplicas() != null
                    && md.getStatus().getReadyReplicas() > 0
                    && md.getStatus().getReadyReplicas().equals(md.getStatus().getReplicas());
              });
    }
  }

  @Test
  @Order(1)
  void aPromotionRollsTheServersUnderLoadWithoutAFailedRequest() throws Exception {
    var fps =
        cluster
            .client
            .resources(ForecastPipeline.class)
            .inNamespace(NodeCluster.NAMESPACE)
            .withName("covid-cases");
    var before = fps.get().getStatus().getProductionVersion();
    var service = NodeLoopTest.service("covid-cases");
    var load = new Load(service.resolve("/v1/forecast"), "{\"series\":\"DEU\",\"horizon\":7}");
    load.start(2);
    // maxSurge 1, maxUnavailable 0: each new pod starts alone, while the old ones serve the load
    var starts =
        ServerPodStarts.watch(
            cluster.client,
            NodeCluster.NAMESPACE,
            "model-server pod create -> Ready (rolling update: one at a time, under load)");
    await().atMost(Timeouts.seconds(30)).until(() -> load.ok.get() > 20);

    // a gate edit is a training-spec change: exactly one new run (a run-now on top would start a
    // second one after it), and with only the threshold to pass it is promoted
    fps.edit(
        fp -> {
          fp.getSpec().getValidation().setMustBeatProduction(false);
          return fp;
        });
    var promoted =
        await()
            .atMost(Timeouts.seconds(10 * 60))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> fps.get().getStatus().getProductionVersion(),
                v -> v != null && !v.equals(before));
    await()
        .atMost(Timeouts.seconds(5 * 60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              var d =
                  cluster
                      .client
                      .apps()
                      .deployments()
                      .inNamespace(NodeCluster.NAMESPACE)
                      .withName("covid-cases")
                      .get();
              var md =
                  cluster
                      .client
                      .resources(ModelDeployment.class)
                      .inNamespace(NodeCluster.NAMESPACE)
                      .withName("covid-cases")
                      .get();
              return promoted.equals(md.getStatus().getServingVersion())
                  && d.getStatus() != null
                  && Integer.valueOf(2).equals(d.getStatus().getUpdatedReplicas())
                  && Integer.valueOf(2).equals(d.getStatus().getReplicas())
                  && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas());
            });
    // requests keep flowing a little after the last old pod is gone
    int okAtEnd = load.ok.get();
    await().atMost(Timeouts.seconds(30)).until(() -> load.ok.get() > okAtEnd + 20);
    load.stop();
    starts.close();

    assertThat(load.failures).as("failed requests during the roll").isEmpty();
    assertThat(load.versions)
        .as("versions answered while the Deployment rolled")
        .contains(before, promoted);
    NodeCluster.MEASUREMENTS.note(
        "requests during the rolling promotion",
        load.ok.get() + " ok, " + load.failures.size() + " failed");
  }

  @Test
  @Order(2)
  void theLeaderDeletedInTheMiddleOfARunLeavesExactlyOneJob() {
    var lease =
        cluster
            .client
            .leases()
            .inNamespace(NodeCluster.NAMESPACE)
            .withName(ClusterStack.RELEASE + "-leader");
    var leader = lease.get().getSpec().getHolderIdentity();
    var fps =
        cluster
            .client
            .resources(ForecastPipeline.class)
            .inNamespace(NodeCluster.NAMESPACE)
            .withName("disease-classifier");
    int runsBefore = fps.get().getStatus().getRuns().size();
    fps.edit(
        fp -> {
          fp.getSpec().getValidation().setMustBeatProduction(false);
          return fp;
        });
    var running =
        await()
            .atMost(Timeouts.seconds(120))
            .pollInterval(Duration.ofMillis(250))
            .until(
                fps::get,
                fp ->
                    fp.getStatus().getActiveRuns() != null
                        && !fp.getStatus().getActiveRuns().isEmpty());
    var run = running.getStatus().getActiveRuns().get(0);

    cluster.client.pods().inNamespace(NodeCluster.NAMESPACE).withName(leader).delete();

    var done =
        await()
            .atMost(Timeouts.seconds(10 * 60))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                fps::get,
                fp ->
                    fp.getStatus().getRuns().size() > runsBefore
                        && fp.getStatus().getRuns().stream()
                            .anyMatch(
                                r ->
                                    run.equals(r.getName())
                                        && r.getPhase() != null
                                        && r.getPhase() != RunPhase.Running
                                        && r.getPhase() != RunPhase.Pending));
    var record =
        done.getStatus().getRuns().stream()
            .filter(r -> run.equals(r.getName()))
            .findFirst()
            .orElseThrow();
    assertThat(record.getPhase())
        .as("run %s: %s", run, record.getReason())
        .isEqualTo(RunPhase.Succeeded);
    var jobs =
        cluster
            .client
            .batch()
            .v1()
            .jobs()
            .inNamespace(NodeCluster.NAMESPACE)
            .withLabel("almanac.dev/run", run)
            .list()
            .getItems();
    assertThat(jobs).as("Jobs of run %s", run).hasSize(1);
    assertThat(lease.get().getSpec().getHolderIdentity())
        .as("the other replica took over")
        .isNotEqualTo(leader);
  }

  @Test
  @Order(3)
  void aTrainerKilledForMemoryFailsTheRunNamingOomKilledAndPromotesNothing() throws Exception {
    var fp = cluster.example("covid-forecast", "pipeline.yaml");
    fp.getMetadata().setName("covid-oom");
    @SuppressWarnings("unchecked")
    var spec = (Map<String, Object>) fp.getAdditionalProperties().get("spec");
    @SuppressWarnings("unchecked")
    var mlflow = (Map<String, Object>) spec.get("mlflow");
    mlflow.put("registeredModel", "covid-oom");
    mlflow.put("experiment", "covid-oom");
    spec.remove("batchPrediction");
    // far below what the JVM, the data and the forest need: the kernel kills the container
    spec.put(
        "trainer",
        Map.of(
            "resources",
            Map.of(
                "requests",
                Map.of("cpu", "100m", "memory", "80Mi"),
                "limits",
                Map.of("memory", "80Mi")),
            "backoffLimit",
            0));
    cluster.client.resource(fp).inNamespace(NodeCluster.NAMESPACE).create();

    var failed =
        await()
            .atMost(Timeouts.seconds(5 * 60))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () ->
                    cluster
                        .client
                        .resources(ForecastPipeline.class)
                        .inNamespace(NodeCluster.NAMESPACE)
                        .withName("covid-oom")
                        .get(),
                p ->
                    p.getStatus() != null
                        && p.getStatus().getRuns() != null
                        && !p.getStatus().getRuns().isEmpty()
                        && p.getStatus().getRuns().get(0).getPhase() == RunPhase.Failed);
    var run = failed.getStatus().getRuns().get(0);
    assertThat(run.getReason()).contains("OOMKilled");
    assertThat(failed.getStatus().getProductionVersion()).isNull();
    var events =
        cluster.client.v1().events().inNamespace(NodeCluster.NAMESPACE).list().getItems().stream()
            .filter(e -> "covid-oom".equals(e.getInvolvedObject().getName()))
            .map(e -> e.getReason() + ": " + e.getMessage())
            .toList();
    assertThat(events).anySatisfy(e -> assertThat(e).contains("OOMKilled"));
  }

  @Test
  @Order(4)
  void aServerImageThatCannotBeFoundIsNamedWhileTheOldVersionServes() throws Exception {
    var mds =
        cluster
            .client
            .resources(ModelDeployment.class)
            .inNamespace(NodeCluster.NAMESPACE)
            .withName("disease-classifier");
    var serving = mds.get().getStatus().getServingVersion();
    var image =
        mds.get().getSpec().getServer() == null ? null : mds.get().getSpec().getServer().getImage();
    var missing = "localhost/almanac-model-server:does-not-exist";
    mds.edit(
        md -> {
          if (md.getSpec().getServer() == null) {
            md.getSpec().setServer(new dev.almanac.api.v1alpha1.deployment.ServerSpec());
          }
          md.getSpec().getServer().setImage(missing);
          return md;
        });
    try {
      var stuck =
          await()
              .atMost(Timeouts.seconds(5 * 60))
              .pollInterval(Duration.ofSeconds(1))
              .until(
                  mds::get,
                  md ->
                      md.getStatus() != null
                          && md.getStatus().getConditions() != null
                          && md.getStatus().getConditions().stream()
                              .anyMatch(c -> "ImageUnavailable".equals(c.getReason())));
      var progressing =
          stuck.getStatus().getConditions().stream()
              .filter(c -> "ImageUnavailable".equals(c.getReason()))
              .findFirst()
              .orElseThrow();
      assertThat(progressing.getMessage())
          .contains(missing, "version " + serving + " keeps serving");
      assertThat(stuck.getStatus().getServingVersion()).isEqualTo(serving);
      var events =
          cluster.client.v1().events().inNamespace(NodeCluster.NAMESPACE).list().getItems().stream()
              .filter(e -> "disease-classifier".equals(e.getInvolvedObject().getName()))
              .filter(e -> "ImageUnavailable".equals(e.getReason()))
              .toList();
      assertThat(events).anySatisfy(e -> assertThat(e.getMessage()).contains(missing));
      // the old pods keep answering (maxUnavailable 0)
      var diagnosis =
          NodeLoopTest.post(
              NodeLoopTest.service("disease-classifier"),
              "/v1/predict",
              Map.of("symptoms", List.of("itching", "skin_rash"), "topK", 1));
      assertThat(diagnosis.toString()).contains("predictions");
    } finally {
      mds.edit(
          md -> {
            md.getSpec().getServer().setImage(image);
            return md;
          });
    }
  }

  /**
   * Requests on new connections (kube-proxy picks an endpoint per connection), counted by outcome.
   */
  private static final class Load {
    private final URI url;
    private final byte[] body;
    private final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicInteger ok = new AtomicInteger();
    final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    final Set<String> versions = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();

    Load(URI url, String body) {
      this.url = url;
      this.body = body.getBytes(StandardCharsets.UTF_8);
    }

    void start(int n) {
      for (int i = 0; i < n; i++) {
        var t = new Thread(this::loop, "load-" + i);
        t.setDaemon(true);
        t.start();
        threads.add(t);
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (var t : threads) {
        t.join();
      }
    }

    private void loop() {
      while (running.get()) {
        try {
          var c = (HttpURLConnection) url.toURL().openConnection();
          c.setConnectTimeout(5000);
          c.setReadTimeout(10000);
          c.setDoOutput(true);
          c.setRequestMethod("POST");
          c.setRequestProperty("content-type", "application/json");
          // one request per connection, so kube-proxy balances each request anew: a kept-alive
          // connection stays on an old pod while it drains, after the roll has finished
          c.setRequestProperty("Connection", "close");
          c.getOutputStream().write(body);
          int status = c.getResponseCode();
          if (status == 200) {
            var reply = NodeLoopTest.JSON.readTree(c.getInputStream());
            versions.add(reply.path("version").asText());
            ok.incrementAndGet();
          } else {
            failures.add("HTTP " + status);
          }
          c.disconnect();
        } catch (IOException e) {
          failures.add(e.toString());
        }
      }
    }
  }
}
