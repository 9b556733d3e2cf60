package dev.almanac.operator.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.almanac.api.v1alpha1.common.ConditionType;
import dev.almanac.api.v1alpha1.common.Conditions;
import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.api.v1alpha1.deployment.ModelRef;
import dev.almanac.api.v1alpha1.deployment.ServedVersion;
import dev.almanac.api.v1alpha1.deployment.Stage;
import dev.almanac.operator.Annotations;
import dev.almanac.operator.metrics.AlmanacMetrics;
import dev.almanac.operator.registry.SecretRegistryPorts;
import dev.almanac.registry.MlflowHttp;
import dev.almanac.registry.MlflowModelRegistry;
import dev.almanac.registry.MlflowSettings;
import dev.almanac.testbed.KubeApiServer;
import dev.almanac.testbed.MlflowProxy;
import dev.almanac.testbed.MlflowTestBed;
import dev.almanac.testbed.Timeouts;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reconciler with the operator's production registry wiring ({@link SecretRegistryPorts} →
 * MLflow REST) against a real MLflow server and the real kube-apiserver: versions and aliases are
 * moved in MLflow, as a ForecastPipeline would, and the deployment follows.
 */
@Tag("integration")
@ExtendWith(MlflowTestBed.class)
class ModelDeploymentMlflowTest {
  private static final Duration WAIT = Timeouts.seconds(45);
  private static String
      NS; // per class run: the MLflow 2 subclass runs after this class deleted its namespace
  private static final String MODEL = "mdep-it-" + UUID.randomUUID().toString().substring(0, 8);
  private static KubernetesClient client;
  private static Operator operator;
  private static ModelDeploymentReconciler reconciler;
  private static MlflowModelRegistry mlflow;
  private static String trackingUri;

  @BeforeAll
  static void start(MlflowTestBed.Endpoints bed) {
    var kube = KubeApiServer.shared();
    try {
      kube.applyAlmanacCrds();
    } catch (NullPointerException e) {
      kube.applyAlmanacCrds(); // testbed race: CRD status without conditions yet
    }
    client = kube.newClient();
    NS = "mdep-mlflow-" + UUID.randomUUID().toString().substring(0, 8);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    trackingUri = bed.trackingUri().toString();
    mlflow = new MlflowModelRegistry(new MlflowHttp(MlflowSettings.of(bed.trackingUri())));
    mlflow.createRegisteredModel(MODEL, "ModelDeployment integration test");
    for (int i = 1; i <= 2; i++) {
      var v =
          mlflow.createVersion(
              MODEL,
              bed.defaultArtifactRoot() + "/" + MODEL + "/v" + i + "/model",
              null,
              Map.of(),
              null);
      mlflow.awaitReady(MODEL, v.version(), Duration.ofSeconds(30));
    }
    reconciler =
        new ModelDeploymentReconciler(
            client,
            new SecretRegistryPorts(client, AlmanacMetrics.discarding(), Duration.ofSeconds(5)),
            Clock.systemUTC(),
            AlmanacMetrics.discarding(),
            DeploymentSettings.of("almanac/model-server:test", Duration.ofMinutes(10)));
    operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
    operator.register(reconciler, c -> c.settingNamespace(NS));
    operator.start();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.stop();
    }
    if (client != null) {
      client.namespaces().withName(NS).delete();
      client.close();
    }
  }

  private static ModelDeployment create(String name, ModelRef ref, String uri) {
    var md = ModelDeployments.of(NS, name, ref);
    md.getSpec().getMlflow().setTrackingUri(uri);
    return client.resource(md).create();
  }

  private static ModelDeployment md(String name) {
    return client.resources(ModelDeployment.class).inNamespace(NS).withName(name).get();
  }

  private static String templateVersion(String name) {
    var d = client.apps().deployments().inNamespace(NS).withName(name).get();
    return d == null
        ? null
        : d.getSpec().getTemplate().getMetadata().getAnnotations().get(Annotations.MODEL_VERSION);
  }

  private static Condition resolved(String name) {
    return Conditions.find(md(name).getStatus().getConditions(), ConditionType.MODEL_RESOLVED)
        .orElseThrow();
  }

  @Test
  void followsAnAliasMovedInMlflow() {
    mlflow.setAlias(MODEL, "production", "1");
    var ref = new ModelRef();
    ref.setRegisteredModel(MODEL);
    ref.setAlias("production");
    create("live", ref, trackingUri);
    await().ignoreExceptions().atMost(WAIT).until(() -> "1".equals(templateVersion("live")));
    ClusterFakes.rolledOut(client, NS, "live");
    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .until(() -> "1".equals(md("live").getStatus().getServingVersion()));

    mlflow.setAlias(MODEL, "production", "2"); // what a ForecastPipeline promotion does
    reconciler.onPromotion(NS, MODEL);
    await().ignoreExceptions().atMost(WAIT).until(() -> "2".equals(templateVersion("live")));
    ClusterFakes.rolledOut(client, NS, "live");
    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(md("live").getStatus().getHistory())
                    .extracting(ServedVersion::getVersion, ServedVersion::getReason)
                    .containsExactly(Tuple.tuple("2", "Promoted"), Tuple.tuple("1", "Initial")));
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(NS)
                .withName("live")
                .get()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv())
        .anySatisfy(e -> assertThat(e.getValue()).isEqualTo("models:/" + MODEL + "/2"));
  }

  @Test
  void stagesMissingVersionsAndAnUnreachableServer() throws Exception {
    mlflow.transitionStage(MODEL, "1", dev.almanac.registry.Stage.STAGING, false);
    var staged = new ModelRef();
    staged.setRegisteredModel(MODEL);
    staged.setStage(Stage.Staging);
    var missing = new ModelRef();
    missing.setRegisteredModel(MODEL);
    missing.setVersion("99");
    int closedPort;
    try (var socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    create("staged", staged, trackingUri);
    create("missing", missing, trackingUri);
    create("offline", staged, "http://127.0.0.1:" + closedPort);
    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(templateVersion("staged")).isEqualTo("1");
              assertThat(resolved("missing").getReason()).isEqualTo("ModelNotFound");
              assertThat(resolved("offline").getReason()).isEqualTo("MlflowUnreachable");
            });
    assertThat(templateVersion("missing")).isNull();
    assertThat(templateVersion("offline")).isNull();
  }

  /**
   * MLflow stops answering while a version is served: the ModelDeployment says the registry is
   * unreachable in words (no exception class names), keeps Ready and the served version, rolls
   * nothing, and recovers on its own once MLflow answers again.
   */
  @Test
  void anUnreachableRegistryKeepsServingAndRecoversByItself() {
    mlflow.setAlias(MODEL, "outage", "1");
    try (var proxy = MlflowProxy.passingThrough(java.net.URI.create(trackingUri))) {
      var ref = new ModelRef();
      ref.setRegisteredModel(MODEL);
      ref.setAlias("outage");
      create("outage", ref, proxy.trackingUri().toString());
      await().ignoreExceptions().atMost(WAIT).until(() -> "1".equals(templateVersion("outage")));
      ClusterFakes.rolledOut(client, NS, "outage");
      await()
          .ignoreExceptions()
          .atMost(WAIT)
          .until(
              () ->
                  "1".equals(md("outage").getStatus().getServingVersion())
                      && Conditions.isTrue(
                          md("outage").getStatus().getConditions(), ConditionType.READY));

      proxy.goDown();
      mlflow.setAlias(MODEL, "outage", "2");
      reconciler.onPromotion(NS, MODEL);
      await()
          .ignoreExceptions()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                assertThat(resolved("outage").getReason()).isEqualTo("MlflowUnreachable");
                assertThat(resolved("outage").getStatus()).isEqualTo("Unknown");
              });
      var during = md("outage").getStatus();
      var ready = Conditions.find(during.getConditions(), ConditionType.READY).orElseThrow();
      assertThat(ready.getStatus()).as("still serving version 1").isEqualTo("True");
      assertThat(ready.getReason()).isNotEqualTo("RolloutStalled");
      assertThat(resolved("outage").getMessage())
          .startsWith("cannot reach the model registry")
          .contains(proxy.trackingUri().toString())
          .contains("version 1 keeps serving")
          .doesNotContain("Exception")
          .doesNotContain("dev.almanac");
      assertThat(templateVersion("outage")).isEqualTo("1");
      assertThat(client.v1().events().inNamespace(NS).list().getItems())
          .anySatisfy(
              e -> {
                assertThat(e.getReason()).isEqualTo("MlflowUnreachable");
                assertThat(e.getMessage()).startsWith("cannot reach the model registry");
              });

      proxy.comeBack(); // JOSDK's retry, no poll and no event: the operator recovers by itself
      await().ignoreExceptions().atMost(WAIT).until(() -> "2".equals(templateVersion("outage")));
      await()
          .ignoreExceptions()
          .atMost(WAIT)
          .until(
              () ->
                  Conditions.isTrue(
                      md("outage").getStatus().getConditions(), ConditionType.MODEL_RESOLVED));
    }
  }
}
