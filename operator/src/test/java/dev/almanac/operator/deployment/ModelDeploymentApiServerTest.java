package dev.almanac.operator.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.almanac.api.v1alpha1.common.ConditionType;
import dev.almanac.api.v1alpha1.common.Conditions;
import dev.almanac.api.v1alpha1.deployment.AdminPortSpec;
import dev.almanac.api.v1alpha1.deployment.AutoscalingSpec;
import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.api.v1alpha1.deployment.ModelRef;
import dev.almanac.api.v1alpha1.deployment.MonitoringSpec;
import dev.almanac.api.v1alpha1.deployment.ServedVersion;
import dev.almanac.api.v1alpha1.deployment.ServerSpec;
import dev.almanac.api.v1alpha1.deployment.ServerTlsSpec;
import dev.almanac.api.v1alpha1.deployment.ServingNetworkPolicySpec;
import dev.almanac.api.v1alpha1.deployment.Stage;
import dev.almanac.operator.Annotations;
import dev.almanac.operator.config.ServerNetworkSettings;
import dev.almanac.operator.metrics.AlmanacMetrics;
import dev.almanac.testbed.KubeApiServer;
import dev.almanac.testbed.Timeouts;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.dependent.workflow.CRDPresentActivationCondition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The reconciler in-process against the real kube-apiserver (SSA, CEL, scale subresource, owner
 * references), with an in-memory registry. The poll interval is long, so every change below is
 * driven by an informer event or by {@link ModelDeploymentReconciler#onPromotion}.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelDeploymentApiServerTest {
  private static final Duration WAIT = Timeouts.seconds(30);
  private static final String NS = "mdep-it-" + UUID.randomUUID().toString().substring(0, 8);
  private static final InMemoryRegistry registry =
      new InMemoryRegistry().register("covid-cases", "1", "2", "3");
  private static KubeApiServer kube;
  private static KubernetesClient client;
  private static Operator operator;
  private static ModelDeploymentReconciler reconciler;
  private static final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private static final ServerNetworkSettings NETWORK =
      new ServerNetworkSettings(
          "prometheus", "almanac-system", Map.of("app.kubernetes.io/name", "almanac"));

  @BeforeAll
  static void startOperator() {
    kube = KubeApiServer.shared();
    try {
      kube.applyAlmanacCrds();
    } catch (NullPointerException e) {
      // testbed race: the CRD may have a status without conditions yet (KubeApiServer.applyCrd);
      // once more
      kube.applyAlmanacCrds();
    }
    client = kube.newClient();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    reconciler =
        new ModelDeploymentReconciler(
            client,
            (ns, mlflow) -> registry,
            Clock.systemUTC(),
            new AlmanacMetrics(meters),
            DeploymentSettings.of("almanac/model-server:test", Duration.ofMinutes(10))
                .withNetwork(NETWORK));
    CRDPresentActivationCondition.clearState();
    operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
    operator.register(reconciler, c -> c.settingNamespace(NS));
    operator.start();
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.stop();
    }
    if (client != null) {
      client.namespaces().withName(NS).delete(); // no namespace controller here: not awaited
      client.close();
    }
  }

  private static ModelDeployment md(String name) {
    return client.resources(ModelDeployment.class).inNamespace(NS).withName(name).get();
  }

  /**
   * Edits the spec as a user would; a 409 from a concurrent status write is retried on a fresh
   * copy.
   */
  private static void edit(String name, Consumer<ModelDeployment> change) {
    await()
        .atMost(WAIT)
        .ignoreExceptionsMatching(
            e -> e instanceof KubernetesClientException k && k.getCode() == 409)
        .until(
            () ->
                client
                        .resources(ModelDeployment.class)
                        .inNamespace(NS)
                        .withName(name)
                        .edit(
                            md -> {
                              change.accept(md);
                              return md;
                            })
                    != null);
  }

  private static Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(NS).withName(name).get();
  }

  private static String templateVersion(String name) {
    var d = deployment(name);
    return d == null
        ? null
        : d.getSpec().getTemplate().getMetadata().getAnnotations().get(Annotations.MODEL_VERSION);
  }

  private static Condition condition(String name, String type) {
    var status = md(name).getStatus();
    return Conditions.find(status == null ? null : status.getConditions(), type).orElseThrow();
  }

  private static void assertOwnedBy(HasMetadata owned, ModelDeployment md) {
    assertThat(owned.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            (OwnerReference ref) -> {
              assertThat(ref.getKind()).isEqualTo("ModelDeployment");
              assertThat(ref.getApiVersion()).isEqualTo("almanac.dev/v1alpha1");
              assertThat(ref.getName()).isEqualTo(md.getMetadata().getName());
              assertThat(ref.getUid()).isEqualTo(md.getMetadata().getUid());
            });
  }

  @Test
  @Order(1)
  void resolvesAliasVersionAndStageAndScalesThroughTheScaleSubresource() {
    registry.setAlias("covid-cases", "production", "2");
    registry.transitionStage("covid-cases", "3", "Staging", false);
    var pinned = new ModelRef();
    pinned.setRegisteredModel("covid-cases");
    pinned.setVersion("1");
    var staged = new ModelRef();
    staged.setRegisteredModel("covid-cases");
    staged.setStage(Stage.Staging);
    client
        .resource(ModelDeployments.followingAlias(NS, "by-alias", "covid-cases", "production"))
        .create();
    client.resource(ModelDeployments.of(NS, "by-version", pinned)).create();
    client.resource(ModelDeployments.of(NS, "by-stage", staged)).create();

    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(templateVersion("by-alias")).isEqualTo("2");
              assertThat(templateVersion("by-version")).isEqualTo("1");
              assertThat(templateVersion("by-stage")).isEqualTo("3");
              assertThat(md("by-stage").getStatus().getResolvedVersion()).isEqualTo("3");
            });
    var md = md("by-alias");
    assertOwnedBy(deployment("by-alias"), md);
    assertOwnedBy(client.services().inNamespace(NS).withName("by-alias").get(), md);
    await()
        .atMost(WAIT)
        .until(
            () ->
                client
                        .policy()
                        .v1()
                        .podDisruptionBudget()
                        .inNamespace(NS)
                        .withName("by-alias")
                        .get()
                    != null);
    var pdb = client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("by-alias").get();
    assertOwnedBy(pdb, md);
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(ServerNames.selector(md));
    assertThat(md.getStatus().getSelector()).isEqualTo(ServerNames.selectorString(md));

    ClusterFakes.rolledOut(client, NS, "by-alias");
    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(md("by-alias").getStatus().getServingVersion()).isEqualTo("2");
              assertThat(condition("by-alias", ConditionType.READY).getStatus()).isEqualTo("True");
              assertThat(md("by-alias").getStatus().getReadyReplicas()).isEqualTo(2);
            });

    // kubectl scale mdep by-alias --replicas=3
    client.resources(ModelDeployment.class).inNamespace(NS).withName("by-alias").scale(3);
    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(deployment("by-alias").getSpec().getReplicas()).isEqualTo(3));
  }

  @Test
  @Order(2)
  void promotionRollsOutRollbackReturnsAndAMissingAliasDeletesNothing() {
    registry.setAlias("covid-cases", "champion", "1");
    client
        .resource(ModelDeployments.followingAlias(NS, "champ", "covid-cases", "champion"))
        .create();
    await().ignoreExceptions().atMost(WAIT).until(() -> "1".equals(templateVersion("champ")));
    ClusterFakes.rolledOut(client, NS, "champ");
    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .until(() -> "1".equals(md("champ").getStatus().getServingVersion()));

    registry.setAlias("covid-cases", "champion", "3");
    reconciler.onPromotion(NS, "covid-cases");
    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(templateVersion("champ")).isEqualTo("3");
              var status = md("champ").getStatus();
              assertThat(status.getResolvedVersion()).isEqualTo("3");
              assertThat(status.getServingVersion())
                  .as("old pods serve until the new ones are ready")
                  .isEqualTo("1");
              assertThat(condition("champ", ConditionType.PROGRESSING).getStatus())
                  .isEqualTo("True");
            });
    ClusterFakes.rolledOut(client, NS, "champ");
    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .until(() -> "3".equals(md("champ").getStatus().getServingVersion()));

    registry.setAlias("covid-cases", "champion", "1"); // rollback
    reconciler.onPromotion(NS, "covid-cases");
    await().ignoreExceptions().atMost(WAIT).until(() -> "1".equals(templateVersion("champ")));
    ClusterFakes.rolledOut(client, NS, "champ");
    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(md("champ").getStatus().getHistory())
                    .extracting(ServedVersion::getVersion, ServedVersion::getReason)
                    .containsExactly(
                        Tuple.tuple("1", "RolledBack"),
                        Tuple.tuple("3", "Promoted"),
                        Tuple.tuple("1", "Initial")));

    registry.deleteAlias("covid-cases", "champion");
    reconciler.onPromotion(NS, "covid-cases");
    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(condition("champ", ConditionType.MODEL_RESOLVED).getReason())
                    .isEqualTo("ModelNotFound"));
    assertThat(templateVersion("champ")).isEqualTo("1");
    assertThat(client.services().inNamespace(NS).withName("champ").get()).isNotNull();
    assertThat(md("champ").getStatus().getServingVersion()).isEqualTo("1");
    edit(
        "champ", m -> m.getSpec().setReplicas(5)); // while the model is missing, nothing is applied
    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .until(() -> md("champ").getStatus().getObservedGeneration() == 2L);
    assertThat(deployment("champ").getSpec().getReplicas()).isEqualTo(2);
    assertThat(md("champ").getStatus().getResolvedVersion()).isEqualTo("1");
  }

  @Test
  @Order(3)
  void autoscalingOwnsTheHpaWhileSsaLeavesReplicasToIt() {
    registry.setAlias("covid-cases", "scaled", "2");
    var md = ModelDeployments.followingAlias(NS, "scaled", "covid-cases", "scaled");
    var scaling = new AutoscalingSpec();
    scaling.setMinReplicas(1);
    scaling.setMaxReplicas(5);
    md.getSpec().setAutoscaling(scaling);
    client.resource(md).create();
    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var hpa =
                  client
                      .resources(HorizontalPodAutoscaler.class)
                      .inNamespace(NS)
                      .withName("scaled")
                      .get();
              assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(5);
              assertOwnedBy(hpa, md("scaled"));
              assertThat(deployment("scaled")).isNotNull();
            });

    // the HPA controller scales the Deployment (another field manager, through the scale
    // subresource)
    client.apps().deployments().inNamespace(NS).withName("scaled").scale(4);
    edit(
        "scaled",
        m -> m.getSpec().getAutoscaling().setMaxReplicas(6)); // any spec change: a full re-apply
    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .resources(HorizontalPodAutoscaler.class)
                            .inNamespace(NS)
                            .withName("scaled")
                            .get()
                            .getSpec()
                            .getMaxReplicas())
                    .isEqualTo(6));
    assertThat(deployment("scaled").getSpec().getReplicas())
        .as("replicas written by the HPA survive our apply")
        .isEqualTo(4);

    edit("scaled", m -> m.getSpec().setAutoscaling(null));
    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(
                      client
                          .resources(HorizontalPodAutoscaler.class)
                          .inNamespace(NS)
                          .withName("scaled")
                          .get())
                  .isNull();
              assertThat(deployment("scaled").getSpec().getReplicas()).isEqualTo(2);
            });
  }

  @Test
  @Order(4)
  void monitoringObjectsOnlyOnceTheirCrdsExist() {
    var crds = client.apiextensions().v1().customResourceDefinitions();
    assertThat(crds.withName(ServiceMonitorDependent.CRD).get())
        .as("test assumes no Prometheus Operator CRDs yet")
        .isNull();
    registry.setAlias("covid-cases", "watched", "2");
    var md = ModelDeployments.followingAlias(NS, "watched", "covid-cases", "watched");
    var monitoring = new MonitoringSpec();
    monitoring.setServiceMonitor(true);
    monitoring.setPrometheusRule(true);
    md.getSpec().setMonitoring(monitoring);
    client.resource(md).create();
    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(condition("watched", ConditionType.READY).getMessage())
                  .contains(
                      "ServiceMonitor and PrometheusRule requested but the monitoring.coreos.com CRDs are not installed");
              assertThat(client.v1().events().inNamespace(NS).list().getItems())
                  .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("MonitoringUnavailable"));
            });
    assertThat(deployment("watched")).as("the rest of the workflow is unaffected").isNotNull();

    ClusterFakes.monitoringCrd(client, "ServiceMonitor", "servicemonitors");
    ClusterFakes.monitoringCrd(client, "PrometheusRule", "prometheusrules");
    CRDPresentActivationCondition.clearState(); // re-check now instead of after the check interval
    edit("watched", m -> m.getSpec().setReplicas(1));
    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var sm =
                  client.resources(ServiceMonitor.class).inNamespace(NS).withName("watched").get();
              assertThat(sm.getSpec().getEndpoints().get(0).getPort()).isEqualTo("http");
              assertOwnedBy(sm, md("watched"));
              assertThat(
                      client
                          .resources(PrometheusRule.class)
                          .inNamespace(NS)
                          .withName("watched")
                          .get())
                  .isNotNull();
              assertThat(condition("watched", ConditionType.READY).getMessage())
                  .doesNotContain("not installed");
            });

    edit("watched", m -> m.getSpec().getMonitoring().setServiceMonitor(false));
    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .resources(ServiceMonitor.class)
                            .inNamespace(NS)
                            .withName("watched")
                            .get())
                    .isNull());
    assertThat(client.resources(PrometheusRule.class).inNamespace(NS).withName("watched").get())
        .isNotNull();
  }

  @Test
  @Order(5)
  void aDeletedDeploymentLeavesNoMetricSeriesBehind() {
    client
        .resource(ModelDeployments.followingAlias(NS, "short-lived", "covid-cases", "production"))
        .create();
    await()
        .atMost(WAIT)
        .until(
            () ->
                meters
                        .find("almanac.deployment.version.mismatch")
                        .tag("deployment", "short-lived")
                        .gauge()
                    != null);

    client.resources(ModelDeployment.class).inNamespace(NS).withName("short-lived").delete();
    // a gauge left behind would keep a version-mismatch alert firing for a deployment that is gone
    await()
        .atMost(WAIT)
        .until(
            () ->
                meters
                        .find("almanac.deployment.version.mismatch")
                        .tag("deployment", "short-lived")
                        .gauge()
                    == null);
    assertThat(
            meters
                .find("almanac.deployment.version.mismatch")
                .tag("deployment", "by-alias")
                .gauge())
        .isNotNull();
  }

  private static NetworkPolicy networkPolicy(String name) {
    return client.network().v1().networkPolicies().inNamespace(NS).withName(name).get();
  }

  /**
   * spec.server.tls and spec.server.admin reach the pods (Secrets mounted read-only, HTTPS probes,
   * the admin port outside the Service) and the NetworkPolicy follows spec.networkPolicy, on the
   * real apiserver; CEL refuses an admin port without a token Secret.
   */
  @Test
  @Order(6)
  void tlsAdminPortAndNetworkPolicyFollowTheSpec() {
    registry.setAlias("covid-cases", "production", "2");
    var locked = ModelDeployments.followingAlias(NS, "locked", "covid-cases", "production");
    var server = new ServerSpec();
    server.setTls(new ServerTlsSpec("locked-tls"));
    server.setAdmin(new AdminPortSpec("locked-admin"));
    locked.getSpec().setServer(server);
    var policy = new ServingNetworkPolicySpec();
    var gateway =
        new NetworkPolicyPeerBuilder()
            .withNewNamespaceSelector()
            .addToMatchLabels("kubernetes.io/metadata.name", "gateway")
            .endNamespaceSelector()
            .build();
    policy.setFrom(java.util.List.of(gateway));
    locked.getSpec().setNetworkPolicy(policy);
    client.resource(locked).create();
    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var pod = deployment("locked").getSpec().getTemplate().getSpec();
              assertThat(pod.getVolumes())
                  .anySatisfy(
                      v -> {
                        assertThat(v.getName()).isEqualTo("tls");
                        assertThat(v.getSecret().getSecretName()).isEqualTo("locked-tls");
                      })
                  .anySatisfy(
                      v ->
                          assertThat(v.getSecret() == null ? null : v.getSecret().getSecretName())
                              .isEqualTo("locked-admin"));
              var container = pod.getContainers().get(0);
              assertThat(container.getVolumeMounts())
                  .filteredOn(m -> m.getName().equals("tls") || m.getName().equals("admin-token"))
                  .hasSize(2)
                  .allSatisfy(m -> assertThat(m.getReadOnly()).isTrue());
              assertThat(container.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
              assertThat(container.getLivenessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
              assertThat(container.getStartupProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
              assertThat(container.getPorts())
                  .extracting(p -> p.getName())
                  .containsExactly("http", "admin");
              var service = client.services().inNamespace(NS).withName("locked").get();
              assertThat(service.getSpec().getPorts())
                  .singleElement()
                  .satisfies(
                      p -> {
                        assertThat(p.getName()).isEqualTo("http");
                        assertThat(p.getAppProtocol()).isEqualTo("https");
                      });
              assertThat(md("locked").getStatus().getUrl()).startsWith("https://");
              var np = networkPolicy("locked");
              assertOwnedBy(np, md("locked"));
              assertThat(np.getSpec().getPodSelector().getMatchLabels())
                  .isEqualTo(ServerNames.selector(md("locked")));
              var rules = np.getSpec().getIngress();
              assertThat(rules).hasSize(3);
              assertThat(rules.get(0).getFrom()).containsExactly(gateway);
              assertThat(rules.get(1).getFrom().get(0).getNamespaceSelector().getMatchLabels())
                  .containsEntry("kubernetes.io/metadata.name", "prometheus");
              assertThat(rules.get(2).getPorts().get(0).getPort().getStrVal()).isEqualTo("admin");
              assertThat(rules.get(2).getFrom().get(0).getPodSelector().getMatchLabels())
                  .containsEntry("app.kubernetes.io/name", "almanac");
            });
    // every ModelDeployment gets a policy by default: the namespace on the serving port
    var byAlias = networkPolicy("by-alias");
    assertThat(byAlias).isNotNull();
    assertThat(byAlias.getSpec().getIngress()).hasSize(2);

    // an admin port without its token Secret never reaches the operator
    var noToken = ModelDeployments.followingAlias(NS, "no-token", "covid-cases", "production");
    var open = new ServerSpec();
    var admin = new AdminPortSpec();
    admin.setEnabled(true);
    open.setAdmin(admin);
    noToken.getSpec().setServer(open);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.resource(noToken).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining("server.admin.enabled needs server.admin.tokenSecret");

    // turning the policy off deletes it; the rest stays
    edit("locked", m -> m.getSpec().getNetworkPolicy().setEnabled(false));
    await().atMost(WAIT).until(() -> networkPolicy("locked") == null);
    assertThat(deployment("locked")).isNotNull();
  }
}
