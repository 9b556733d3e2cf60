package dev.almanac.operator.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.almanac.api.v1alpha1.common.ConditionType;
import dev.almanac.api.v1alpha1.common.Conditions;
import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.operator.Annotations;
import dev.almanac.operator.config.PlatformDefaults;
import dev.almanac.operator.metrics.AlmanacMetrics;
import dev.almanac.testbed.Timeouts;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reconciler logic on the fabric8 CRUD mock server with an in-memory registry. The mock answers 415
 * to server-side apply, so SSA is switched off here (and only here).
 */
@EnableKubernetesMockClient(crud = true)
class ModelDeploymentReconcilerMockTest {
  private static final String NS = "ml";
  KubernetesMockServer server;
  KubernetesClient client;
  private final InMemoryRegistry registry =
      new InMemoryRegistry().register("covid-cases", "1", "2");
  private Operator operator;
  private ModelDeploymentReconciler reconciler;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @BeforeEach
  void start() {
    server.expectCustomResource(
        CustomResourceDefinitionContext.fromCustomResourceType(ModelDeployment.class));
    startOperator(PlatformDefaults.NONE);
  }

  private void startOperator(PlatformDefaults defaults) {
    // A long poll: anything that happens sooner was triggered by an event, not by the poll.
    reconciler =
        new ModelDeploymentReconciler(
            client,
            (ns, mlflow) -> registry,
            Clock.systemUTC(),
            new AlmanacMetrics(meters),
            DeploymentSettings.of("almanac/model-server:test", Duration.ofMinutes(10))
                .withDefaults(defaults));
    operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false));
    operator.register(
        reconciler,
        c ->
            c.settingNamespace(NS)
                .withRetry(
                    new GenericRetry()
                        .setInitialInterval(200)
                        .setIntervalMultiplier(1.5)
                        .setMaxAttempts(20)));
    operator.start();
  }

  @AfterEach
  void stop() {
    operator.stop();
  }

  private ModelDeployment md(String name) {
    return client.resources(ModelDeployment.class).inNamespace(NS).withName(name).get();
  }

  private Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(NS).withName(name).get();
  }

  private static String version(Deployment d) {
    return d.getSpec().getTemplate().getMetadata().getAnnotations().get(Annotations.MODEL_VERSION);
  }

  private static Condition condition(ModelDeployment md, String type) {
    return Conditions.find(md.getStatus() == null ? null : md.getStatus().getConditions(), type)
        .orElse(null);
  }

  @Test
  void followsTheAliasAndReResolvesOnPromotion() {
    registry.setAlias("covid-cases", "production", "1");
    client
        .resource(ModelDeployments.followingAlias(NS, "covid", "covid-cases", "production"))
        .create();

    await()
        .ignoreExceptions()
        .atMost(Timeouts.seconds(20))
        .untilAsserted(
            () -> {
              assertThat(deployment("covid"))
                  .isNotNull()
                  .extracting(ModelDeploymentReconcilerMockTest::version)
                  .isEqualTo("1");
              assertThat(md("covid").getStatus().getResolvedVersion()).isEqualTo("1");
            });
    assertThat(client.services().inNamespace(NS).withName("covid").get())
        .isNotNull()
        .extracting(Service::getSpec)
        .extracting(s -> s.getPorts().get(0).getName())
        .isEqualTo("http");
    assertThat(md("covid").getStatus().getUrl()).isEqualTo("http://covid.ml.svc:8080");
    assertThat(condition(md("covid"), ConditionType.MODEL_RESOLVED).getStatus()).isEqualTo("True");

    registry.setAlias("covid-cases", "production", "2");
    assertThat(reconciler.onPromotion(NS, "covid-cases")).isEqualTo(1);
    assertThat(reconciler.onPromotion(NS, "other-model")).isZero();
    await()
        .ignoreExceptions()
        .atMost(Timeouts.seconds(20))
        .untilAsserted(
            () -> {
              assertThat(version(deployment("covid"))).isEqualTo("2");
              assertThat(md("covid").getStatus().getResolvedVersion()).isEqualTo("2");
            });
    assertThat(
            deployment("covid").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(e -> assertThat(e.getValue()).isEqualTo("models:/covid-cases/2"));
    // no kubelet here: version 2 never gets ready pods, so it is resolved but not served
    assertThat(
            meters
                .get("almanac.deployment.version.mismatch")
                .tags("namespace", NS, "deployment", "covid")
                .gauge()
                .value())
        .isEqualTo(1.0);
    assertThat(
            meters
                .get("almanac.reconciliations")
                .tags("controller", "modeldeployment", "result", "success")
                .counter()
                .count())
        .isPositive();
  }

  @Test
  void podsWhoseImageCannotBePulledGiveAConditionAndAnEvent() {
    registry.setAlias("covid-cases", "production", "1");
    var md = ModelDeployments.followingAlias(NS, "img", "covid-cases", "production");
    client.resource(md).create();
    await().ignoreExceptions().atMost(Timeouts.seconds(20)).until(() -> deployment("img") != null);
    // what the kubelet reports for a pod of the server whose image cannot be found
    var pod =
        PodStartProblemsTest.waiting(
            "img-abc",
            "almanac/model-server:missing",
            "ErrImagePull",
            "pull access denied for almanac/model-server");
    pod.getMetadata().setNamespace(NS);
    pod.getMetadata().setLabels(ServerNames.selector(md));
    client.resource(pod).create();
    client
        .resource(md("img"))
        .edit(
            m -> {
              m.getMetadata()
                  .getAnnotations()
                  .put("touch", "1"); // a reconcile now, rather than at the 10 s recheck
              return m;
            });
    await()
        .ignoreExceptions()
        .atMost(Timeouts.seconds(30))
        .untilAsserted(
            () -> {
              var progressing = condition(md("img"), ConditionType.PROGRESSING);
              assertThat(progressing.getReason()).isEqualTo("ImageUnavailable");
              assertThat(progressing.getMessage())
                  .contains(
                      "image almanac/model-server:missing", "ErrImagePull", "pull access denied");
              assertThat(client.v1().events().inNamespace(NS).list().getItems())
                  .anySatisfy(
                      e -> {
                        assertThat(e.getReason()).isEqualTo("ImageUnavailable");
                        assertThat(e.getMessage()).contains("almanac/model-server:missing");
                      });
            });
  }

  @Test
  void missingModelLeavesTheDeploymentAndAnOutageChangesNothing() {
    registry.setAlias("covid-cases", "staging", "2");
    client.resource(ModelDeployments.followingAlias(NS, "stg", "covid-cases", "staging")).create();
    client
        .resource(ModelDeployments.followingAlias(NS, "ghost", "no-such-model", "production"))
        .create();
    await()
        .ignoreExceptions()
        .atMost(Timeouts.seconds(20))
        .untilAsserted(
            () -> {
              assertThat(deployment("stg")).isNotNull();
              assertThat(condition(md("ghost"), ConditionType.MODEL_RESOLVED).getReason())
                  .isEqualTo("ModelNotFound");
            });
    assertThat(deployment("ghost")).as("nothing to serve, nothing created").isNull();

    registry.deleteAlias("covid-cases", "staging");
    reconciler.onPromotion(NS, "covid-cases");
    await()
        .ignoreExceptions()
        .atMost(Timeouts.seconds(20))
        .untilAsserted(
            () ->
                assertThat(condition(md("stg"), ConditionType.MODEL_RESOLVED).getReason())
                    .isEqualTo("ModelNotFound"));
    assertThat(md("stg").getStatus().getResolvedVersion()).isEqualTo("2");
    assertThat(version(deployment("stg")))
        .as("keeps serving the last resolved version")
        .isEqualTo("2");
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("ModelNotFound"));

    registry.setAlias("covid-cases", "staging", "1");
    registry.down.set(true);
    reconciler.onPromotion(NS, "covid-cases");
    await()
        .ignoreExceptions()
        .atMost(Timeouts.seconds(20))
        .untilAsserted(
            () -> {
              var resolved = condition(md("stg"), ConditionType.MODEL_RESOLVED);
              assertThat(resolved.getReason()).isEqualTo("MlflowUnreachable");
              assertThat(resolved.getStatus()).isEqualTo("Unknown");
            });
    assertThat(version(deployment("stg"))).isEqualTo("2");
    assertThat(md("stg").getStatus().getResolvedVersion()).isEqualTo("2");

    registry.down.set(
        false); // the retry (fast here) picks the new alias up without any further event
    await()
        .ignoreExceptions()
        .atMost(Timeouts.seconds(30))
        .untilAsserted(() -> assertThat(version(deployment("stg"))).isEqualTo("1"));
  }

  /** Issue 21: a ModelDeployment with only model and replicas. */
  @Test
  void aMinimalModelDeploymentNamesTheMissingFieldThenWorksWithPlatformDefaults() {
    registry.setAlias("covid-cases", "production", "1");
    var minimal = ModelDeployments.followingAlias(NS, "minimal", "covid-cases", "production");
    minimal.getSpec().setMlflow(null);
    client.resource(minimal).create();
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var ready = condition(md("minimal"), ConditionType.READY);
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo("InvalidSpec");
              assertThat(ready.getMessage())
                  .startsWith("spec.mlflow.trackingUri is not set")
                  .contains("Helm value defaults.mlflow.trackingUri");
            });
    assertThat(deployment("minimal")).isNull();
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("InvalidSpec"));

    operator.stop(); // the operator restarts with the platform's MLflow configured
    startOperator(
        PlatformDefaults.fromEnv(
            java.util.Map.of(PlatformDefaults.TRACKING_URI, "http://mlflow.platform:5000")));
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(version(deployment("minimal"))).isEqualTo("1");
              assertThat(condition(md("minimal"), ConditionType.MODEL_RESOLVED).getStatus())
                  .isEqualTo("True");
            });
    assertThat(
            deployment("minimal").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("MLFLOW_TRACKING_URI");
              assertThat(e.getValue()).isEqualTo("http://mlflow.platform:5000");
            });
    assertThat(md("minimal").getSpec().getMlflow())
        .as("the stored resource is not rewritten")
        .isNull();
  }
}
