package dev.almanac.demo.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.testbed.KubeApiServer;
import dev.almanac.testbed.KubeApiServerExtension;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The kubelet stand-in against the real apiserver: Jobs and Deployments run as local processes. */
@Tag("integration")
@ExtendWith(KubeApiServerExtension.class)
class LocalRunnerTest {
  private static final String NS = "local-runner";
  private static final Map<String, String> MANAGED =
      Map.of("app.kubernetes.io/managed-by", "almanac-operator");
  private static KubernetesClient client;
  private static LocalRunner runner;

  @BeforeAll
  static void start(KubeApiServer kube, @TempDir Path work) {
    client = kube.client();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
    runner =
        new LocalRunner(client, new LocalImages(Map.of()), work, Map.of("EXTRA", "from-runner"))
            .start();
  }

  @AfterAll
  static void stop() {
    runner.close();
  }

  @Test
  void succeededJobGetsPodWithTerminationMessageAndCompleteCondition() {
    client
        .configMaps()
        .inNamespace(NS)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("spec")
                .endMetadata()
                .addToData("run.txt", "hello")
                .build())
        .create();
    var script =
        "cat /etc/run/run.txt > $ALMANAC_TERMINATION_LOG; echo \" $(EXTRA) $(POD)\" >> $ALMANAC_TERMINATION_LOG";
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(NS)
        .resource(job("ok", List.of("sh", "-c", script)))
        .create();

    var done = awaitJob("ok");
    assertThat(done.getStatus().getSucceeded()).isEqualTo(1);
    assertThat(done.getStatus().getCompletionTime()).isNotNull();
    var pods = client.pods().inNamespace(NS).withLabel("job-name", "ok").list().getItems();
    assertThat(pods)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getStatus().getPhase()).isEqualTo("Succeeded");
              assertThat(
                      p.getStatus()
                          .getContainerStatuses()
                          .get(0)
                          .getState()
                          .getTerminated()
                          .getMessage())
                  .isEqualTo("hello from-runner ok-local\n");
            });
  }

  @Test
  void failedJobIsMarkedFailedWithTheLogAsMessage() {
    var bad = job("bad", List.of("sh", "-c", "echo broken data; exit 3"));
    bad.getSpec().getTemplate().getSpec().setVolumes(List.of());
    bad.getSpec().getTemplate().getSpec().getContainers().get(0).setVolumeMounts(List.of());
    client.batch().v1().jobs().inNamespace(NS).resource(bad).create();

    var done = awaitJob("bad");
    assertThat(done.getStatus().getConditions())
        .anyMatch(c -> c.getType().equals("Failed") && c.getStatus().equals("True"));
    var pod = client.pods().inNamespace(NS).withLabel("job-name", "bad").list().getItems().get(0);
    var terminated = pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    assertThat(terminated.getExitCode()).isEqualTo(3);
    assertThat(terminated.getMessage()).contains("broken data");
  }

  @Test
  void anIndexedJobRunsUpToItsParallelismOfPodsAtOnce(@TempDir Path shared) {
    // each pod waits until all three have started: only pods running side by side can succeed
    var script =
        "touch "
            + shared
            + "/started-$JOB_COMPLETION_INDEX; for i in $(seq 600); do"
            + " [ $(ls "
            + shared
            + " | wc -l) -ge 3 ] && exit 0; sleep 0.1; done; exit 4";
    var shards = job("shards", List.of("sh", "-c", script));
    shards.getSpec().getTemplate().getSpec().setVolumes(List.of());
    shards.getSpec().getTemplate().getSpec().getContainers().get(0).setVolumeMounts(List.of());
    shards.getSpec().setCompletionMode("Indexed");
    shards.getSpec().setCompletions(3);
    shards.getSpec().setParallelism(3);
    client.batch().v1().jobs().inNamespace(NS).resource(shards).create();

    var done = awaitJob("shards");
    assertThat(done.getStatus().getSucceeded()).isEqualTo(3);
    assertThat(java.util.Objects.requireNonNullElse(done.getStatus().getFailed(), 0)).isZero();
    assertThat(client.pods().inNamespace(NS).withLabel("job-name", "shards").list().getItems())
        .extracting(
            p -> p.getMetadata().getAnnotations().get("batch.kubernetes.io/job-completion-index"))
        .containsExactlyInAnyOrder("0", "1", "2");
  }

  @Test
  void deploymentReplicasServeAndStatusCountsThem() throws Exception {
    var serve =
        "mkdir -p v2/health && echo ok > v2/health/ready && exec python3 -m http.server $(ALMANAC_PORT) --bind 127.0.0.1";
    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .resource(deployment("web", 2, List.of("sh", "-c", serve)))
        .create();

    var ready =
        client
            .apps()
            .deployments()
            .inNamespace(NS)
            .withName("web")
            .waitUntilCondition(
                d ->
                    d.getStatus() != null
                        && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas()),
                60,
                TimeUnit.SECONDS);
    assertThat(ready.getStatus().getObservedGeneration())
        .isEqualTo(ready.getMetadata().getGeneration());
    var urls = runner.endpoints(NS, "web");
    assertThat(urls).hasSize(2);
    var response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(urls.get(0).resolve("/v2/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void aTemplateThatNeverGetsReadyDoesNotReplaceServingReplicas() throws Exception {
    var serve =
        "mkdir -p v2/health && echo ok > v2/health/ready && exec python3 -m http.server $(ALMANAC_PORT) --bind 127.0.0.1";
    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .resource(deployment("stable", 1, List.of("sh", "-c", serve)))
        .create();
    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName("stable")
        .waitUntilCondition(
            d ->
                d.getStatus() != null
                    && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas()),
            60,
            TimeUnit.SECONDS);
    var before = runner.endpoints(NS, "stable");

    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName("stable")
        .edit(
            d -> {
              d.getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .setCommand(List.of("sh", "-c", "exit 1"));
              return d;
            });
    Thread.sleep(3000);

    assertThat(runner.endpoints(NS, "stable")).isEqualTo(before);
    var status =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(before.get(0) + "/v2/health/ready")).build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode();
    assertThat(status).isEqualTo(200);
  }

  @Test
  void aNewTemplateRollsOneReplicaAtATimeNeverBelowTheWantedCount() throws Exception {
    var serve =
        "mkdir -p v2/health && echo ok > v2/health/ready && exec python3 -m http.server $(ALMANAC_PORT) --bind 127.0.0.1";
    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .resource(deployment("roll", 2, List.of("sh", "-c", serve)))
        .create();
    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName("roll")
        .waitUntilCondition(
            d ->
                d.getStatus() != null
                    && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas()),
            60,
            TimeUnit.SECONDS);
    var before = runner.endpoints(NS, "roll");
    var seen = new java.util.concurrent.ConcurrentLinkedQueue<Integer>();
    var sampling = new java.util.concurrent.atomic.AtomicBoolean(true);
    var sampler =
        new Thread(
            () -> {
              while (sampling.get()) {
                seen.add(runner.runningReplicas(NS, "roll"));
              }
            });
    sampler.start();

    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName("roll")
        .edit(
            d -> {
              d.getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .setCommand(List.of("sh", "-c", "sleep 1; " + serve));
              return d;
            });
    org.awaitility.Awaitility.await()
        .atMost(dev.almanac.testbed.Timeouts.seconds(60))
        .until(
            () -> {
              var now = runner.endpoints(NS, "roll");
              return now.size() == 2 && now.stream().noneMatch(before::contains);
            });
    sampling.set(false);
    sampler.join();

    assertThat(seen)
        .as("replicas running during the roll (maxUnavailable 0, maxSurge 1)")
        .allMatch(n -> n >= 2 && n <= 3);
    assertThat(seen).as("a surge replica was started before an old one stopped").contains(3);
  }

  private static Job awaitJob(String name) {
    return client
        .batch()
        .v1()
        .jobs()
        .inNamespace(NS)
        .withName(name)
        .waitUntilCondition(
            j ->
                j.getStatus() != null
                    && j.getStatus().getConditions() != null
                    && j.getStatus().getConditions().stream()
                        .anyMatch(
                            c ->
                                (c.getType().equals("Complete") || c.getType().equals("Failed"))
                                    && c.getStatus().equals("True")),
            60,
            TimeUnit.SECONDS);
  }

  private static Job job(String name, List<String> command) {
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(MANAGED)
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withNewTemplate()
        .withNewSpec()
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("main")
        .withImage("busybox")
        .withCommand(command)
        .addNewEnv()
        .withName("POD")
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath("metadata.name")
        .endFieldRef()
        .endValueFrom()
        .endEnv()
        .addNewVolumeMount()
        .withName("spec")
        .withMountPath("/etc/run")
        .endVolumeMount()
        .endContainer()
        .addNewVolume()
        .withName("spec")
        .withNewConfigMap()
        .withName("spec")
        .endConfigMap()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Deployment deployment(String name, int replicas, List<String> command) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(MANAGED)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("server")
        .withImage("python")
        .withCommand(command)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
