package dev.almanac.nodetests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.RunPhase;
import dev.almanac.demo.ClusterStack;
import dev.almanac.testbed.RealNode;
import dev.almanac.testbed.Timeouts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole loop on a real node, in real pods from the project's own images: {@code helm install},
 * both examples applied, each training Job runs as a pod, registers, passes its gate and is
 * promoted; the model servers get Ready through their real probes and answer through the Service's
 * ClusterIP (kube-proxy); batch prediction writes its files.
 */
@Tag("integration")
@Tag("node")
@Order(1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeLoopTest {
  private static final Logger LOG = LoggerFactory.getLogger(NodeLoopTest.class);
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static ClusterStack cluster;
  private static ServerPodStarts podWatch;
  private static long loopStarted;

  @BeforeAll
  static void cluster() throws Exception {
    assumeFalse(RealNode.skipped(), "ALMANAC_SKIP_NODE_TESTS=true");
    cluster = NodeCluster.shared();
    podWatch =
        ServerPodStarts.watch(
            cluster.client, NodeCluster.NAMESPACE, "model-server pod create -> Ready");
    loopStarted = System.nanoTime();
    cluster.applyExamples();
  }

  @AfterAll
  static void stopWatch() {
    if (podWatch != null) {
      podWatch.close();
    }
  }

  @Test
  @Order(1)
  void bothPipelinesTrainInPodsAndArePromoted() {
    for (var name : List.of("covid-cases", "disease-classifier")) {
      var fp =
          await()
              .atMost(Timeouts.seconds(15 * 60))
              .pollInterval(Duration.ofSeconds(2))
              .until(
                  () -> pipeline(name),
                  p -> {
                    var runs = p.getStatus() == null ? null : p.getStatus().getRuns();
                    assertThat(
                            runs == null
                                || runs.isEmpty()
                                || runs.get(0).getPhase() != RunPhase.Failed)
                        .as(
                            "%s run failed: %s",
                            name, runs == null || runs.isEmpty() ? "" : runs.get(0).getReason())
                        .isTrue();
                    return p.getStatus() != null && p.getStatus().getProductionVersion() != null;
                  });
      var run = fp.getStatus().getRuns().get(0);
      assertThat(run.getPhase()).isEqualTo(RunPhase.Succeeded);
      assertThat(run.getModelVersion()).isEqualTo(fp.getStatus().getProductionVersion());
      // the run's Job ran in a real pod of the trainer image, which exited 0
      var pods =
          cluster
              .client
              .pods()
              .inNamespace(NodeCluster.NAMESPACE)
              .withLabel("job-name", run.getJob())
              .list()
              .getItems();
      assertThat(pods).isNotEmpty();
      var trainer = pods.get(0);
      assertThat(trainer.getSpec().getContainers().get(0).getImage())
          .contains("/almanac-trainer:" + cluster.imageTag);
      var terminated = trainer.getStatus().getContainerStatuses().get(0).getState().getTerminated();
      assertThat(terminated.getExitCode()).isZero();
      NodeCluster.MEASUREMENTS.record(
          "trainer pod start -> exit (" + name + ")",
          Duration.between(
              java.time.Instant.parse(terminated.getStartedAt()),
              java.time.Instant.parse(terminated.getFinishedAt())));
    }
  }

  @Test
  @Order(2)
  void modelServersGetReadyThroughTheirProbesAndServeThePromotedVersion() {
    for (var name : List.of("covid-cases", "disease-classifier")) {
      var md =
          await()
              .atMost(Timeouts.seconds(10 * 60))
              .pollInterval(Duration.ofSeconds(1))
              .until(
                  () ->
                      cluster
                          .client
                          .resources(ModelDeployment.class)
                          .inNamespace(NodeCluster.NAMESPACE)
                          .withName(name)
                          .get(),
                  m ->
                      m.getStatus() != null
                          && m.getStatus().getServingVersion() != null
                          && m.getStatus()
                              .getServingVersion()
                              .equals(pipeline(name).getStatus().getProductionVersion())
                          && m.getStatus().getReadyReplicas() != null
                          && m.getStatus().getReadyReplicas() > 0
                          && m.getStatus().getReadyReplicas().equals(m.getStatus().getReplicas()));
      assertThat(md.getStatus().getServingVersion()).isNotBlank();
    }
    NodeCluster.MEASUREMENTS.record(
        "full loop: examples applied -> both served",
        Duration.ofNanos(System.nanoTime() - loopStarted));
    var ready = NodeCluster.MEASUREMENTS.of("model-server pod create -> Ready");
    assertThat(ready)
        .as("2 covid-cases replicas + 1 disease-classifier (autoscaled, min 1)")
        .hasSizeGreaterThanOrEqualTo(3);
    LOG.info(
        "model-server pod create -> Ready p50 {} ms",
        Measurements.percentile(ready, 0.5).toMillis());
    recordServerStartFromLogs();
  }

  private static final Pattern READY_LINE = Pattern.compile("\\((\\d+) ms after JVM start\\)");

  /**
   * The server's own share of create -> Ready (JVM start, model download, warm-up), from the line
   * it logs when Ready; the rest is the kubelet's (sandbox, container start, probe tick).
   */
  private static void recordServerStartFromLogs() {
    var pods =
        cluster
            .client
            .pods()
            .inNamespace(NodeCluster.NAMESPACE)
            .withLabel("app.kubernetes.io/component", "model-server")
            .list()
            .getItems();
    for (var pod : pods) {
      try {
        var log =
            cluster
                .client
                .pods()
                .inNamespace(NodeCluster.NAMESPACE)
                .withName(pod.getMetadata().getName())
                .getLog();
        var m = READY_LINE.matcher(log);
        if (m.find()) {
          NodeCluster.MEASUREMENTS.record(
              "model-server JVM start -> Ready (its log)",
              Duration.ofMillis(Long.parseLong(m.group(1))));
        }
      } catch (RuntimeException e) {
        NodeCluster.MEASUREMENTS.note(
            "model-server log of " + pod.getMetadata().getName(), "unreadable: " + e.getMessage());
      }
    }
  }

  @Test
  @Order(3)
  void forecastAndPredictAnswerThroughTheServiceClusterIp() throws Exception {
    var forecast =
        post(service("covid-cases"), "/v1/forecast", Map.of("series", "USA", "horizon", 28));
    assertThat(forecast.path("values")).hasSize(28);
    assertThat(forecast.path("version").asText())
        .isEqualTo(pipeline("covid-cases").getStatus().getProductionVersion());
    var diagnosis =
        post(
            service("disease-classifier"),
            "/v1/predict",
            Map.of("symptoms", List.of("itching", "skin_rash", "nodal_skin_eruptions"), "topK", 3));
    assertThat(diagnosis.toString()).contains("Fungal infection");

    var memory = cluster.podMemory();
    memory.forEach(
        (pod, bytes) ->
            NodeCluster.MEASUREMENTS.note(
                "memory " + pod, String.format("%.0f MiB", bytes / 1048576.0)));
  }

  @Test
  @Order(3)
  void operatorRunsAsTwoReplicasUnderTheChartsServiceAccountWithOneLeader() {
    var operators =
        cluster
            .client
            .pods()
            .inNamespace(NodeCluster.NAMESPACE)
            .withLabel("app.kubernetes.io/component", "operator")
            .list()
            .getItems();
    assertThat(operators)
        .hasSize(2)
        .allSatisfy(
            p -> {
              assertThat(p.getSpec().getServiceAccountName()).isEqualTo("almanac-operator");
              assertThat(p.getStatus().getContainerStatuses().get(0).getReady()).isTrue();
            });
    var leases = cluster.client.leases().inNamespace(NodeCluster.NAMESPACE).list().getItems();
    assertThat(leases)
        .anySatisfy(
            l ->
                assertThat(operators.stream().map(p -> p.getMetadata().getName()))
                    .contains(l.getSpec().getHolderIdentity()));
  }

  /**
   * A server pod deleted (as a node drain or an eviction would) is replaced by its Deployment, and
   * the Service answers again from the new pod. Its create -> Ready is the start of one server with
   * nothing else starting, beside the loop's figure for three starting together on two cores.
   */
  @Test
  @Order(4)
  void aDeletedServerPodIsReplacedAndTheServiceAnswersAgain() throws Exception {
    podWatch.close(); // the loop's figure is complete; restarts get their own name
    podWatch = null;
    try (var restarts =
        ServerPodStarts.watch(
            cluster.client,
            NodeCluster.NAMESPACE,
            "model-server pod create -> Ready (one pod restarted alone)")) {
      for (var name : List.of("disease-classifier", "covid-cases")) {
        var pods = serverPods(name);
        assertThat(pods).isNotEmpty();
        var victim = pods.get(0).getMetadata().getUid();
        int replicas = pods.size();
        cluster.client.resource(pods.get(0)).delete();
        await()
            .atMost(Timeouts.seconds(3 * 60))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    serverPods(name).stream()
                            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                            .filter(p -> !p.getMetadata().getUid().equals(victim))
                            .filter(ServerPodStarts::ready)
                            .count()
                        == replicas);
      }
    }
    var forecast =
        post(service("covid-cases"), "/v1/forecast", Map.of("series", "USA", "horizon", 7));
    assertThat(forecast.path("values")).hasSize(7);
    var diagnosis =
        post(service("disease-classifier"), "/v1/predict", Map.of("symptoms", List.of("itching")));
    assertThat(diagnosis.path("predictions")).isNotEmpty();
    assertThat(
            NodeCluster.MEASUREMENTS.of(
                "model-server pod create -> Ready (one pod restarted alone)"))
        .hasSize(2);
  }

  /**
   * Payload logging from a real pod: the server loads zstd-jni's natives under a read-only root
   * filesystem as uid 65532 (they are extracted to the pod's /tmp, like ONNX Runtime's), and the
   * sampled requests reach S3 as zstd JSON lines through the deployment's own S3 settings.
   */
  @Test
  @Order(5)
  void sampledRequestsReachS3AsZstdJsonLinesFromARealPod() throws Exception {
    var prefix = "payloads/disease-" + System.currentTimeMillis();
    cluster
        .client
        .resources(ModelDeployment.class)
        .inNamespace(NodeCluster.NAMESPACE)
        .withName("disease-classifier")
        .edit(
            md -> {
              var location = new dev.almanac.api.v1alpha1.common.S3Location();
              location.setBucket(ClusterStack.BUCKET);
              location.setKey(prefix);
              var logging = new dev.almanac.api.v1alpha1.deployment.PayloadLoggingSpec();
              logging.setSampleRate(1.0);
              logging.setS3(location);
              logging.setFlushSeconds(1);
              if (md.getSpec().getMonitoring() == null) {
                md.getSpec()
                    .setMonitoring(new dev.almanac.api.v1alpha1.deployment.MonitoringSpec());
              }
              md.getSpec().getMonitoring().setPayloadLogging(logging);
              return md;
            });
    var s3 =
        new dev.almanac.registry.S3ArtifactStore(
            dev.almanac.registry.S3Settings.fromEnv(
                Map.of(
                    dev.almanac.registry.S3Settings.ENDPOINT, cluster.s3.endpoint().toString(),
                    dev.almanac.registry.S3Settings.ACCESS_KEY, cluster.s3.accessKey(),
                    dev.almanac.registry.S3Settings.SECRET_KEY, cluster.s3.secretKey(),
                    dev.almanac.registry.S3Settings.REGION, cluster.s3.region(),
                    dev.almanac.registry.S3Settings.PATH_STYLE, "true")));
    var uri = "s3://" + ClusterStack.BUCKET + "/" + prefix;
    try (s3) {
      // requests keep going while the deployment rolls: the old pod logs nothing, the new one does
      var objects =
          await()
              .atMost(Timeouts.seconds(4 * 60))
              .pollInterval(Duration.ofSeconds(1))
              .until(
                  () -> {
                    post(
                        service("disease-classifier"),
                        "/v1/predict",
                        Map.of("symptoms", List.of("itching", "skin_rash")));
                    return s3.list(uri);
                  },
                  files -> !files.isEmpty());
      var file = objects.get(0);
      assertThat(file.path())
          .matches("\\d{4}/\\d{2}/\\d{2}/\\d{6}-disease-classifier-.*\\.jsonl\\.zst");
      var local = java.nio.file.Files.createTempFile("payload", ".zst");
      try {
        s3.download(uri + "/" + file.path(), local);
        String text;
        try (var in =
            new com.github.luben.zstd.ZstdInputStream(java.nio.file.Files.newInputStream(local))) {
          text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        var line = JSON.readTree(text.lines().findFirst().orElseThrow());
        assertThat(line.path("route").asText()).isEqualTo("/v1/predict");
        assertThat(line.path("request").path("symptoms").toString()).contains("itching");
        assertThat(line.path("response").path("predictions")).isNotEmpty();
      } finally {
        java.nio.file.Files.deleteIfExists(local);
      }
    }
  }

  private static List<io.fabric8.kubernetes.api.model.Pod> serverPods(String instance) {
    return cluster
        .client
        .pods()
        .inNamespace(NodeCluster.NAMESPACE)
        .withLabel("app.kubernetes.io/instance", instance)
        .withLabel("app.kubernetes.io/component", "model-server")
        .list()
        .getItems();
  }

  static ForecastPipeline pipeline(String name) {
    return cluster
        .client
        .resources(ForecastPipeline.class)
        .inNamespace(NodeCluster.NAMESPACE)
        .withName(name)
        .get();
  }

  /** The model server's Service, through its ClusterIP (kube-proxy's rules inside the node). */
  static URI service(String name) {
    var svc = cluster.client.services().inNamespace(NodeCluster.NAMESPACE).withName(name).get();
    assertThat(svc).as("Service %s", name).isNotNull();
    return cluster.node.forward(
        svc.getSpec().getClusterIP(), svc.getSpec().getPorts().get(0).getPort());
  }

  static JsonNode post(URI base, String path, Object body) throws Exception {
    var response =
        HTTP.send(
            HttpRequest.newBuilder(base.resolve(path))
                .header("content-type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("%s %s", path, response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
