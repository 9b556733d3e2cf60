package dev.almanac.operator.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.api.v1alpha1.deployment.AdminPortSpec;
import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.api.v1alpha1.deployment.ServerSpec;
import dev.almanac.api.v1alpha1.deployment.ServerTlsSpec;
import dev.almanac.api.v1alpha1.deployment.ServingNetworkPolicySpec;
import dev.almanac.operator.config.ServerNetworkSettings;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * TLS, the admin port and the NetworkPolicy as the dependents render them, without a server (the
 * apiserver side is in {@link ModelDeploymentApiServerTest}).
 */
class ServerLockdownTest {
  static final ServerPlan PLAN = new ServerPlan("7", "registry.example/almanac-model-server:1.0");
  static final ServerNetworkSettings SETTINGS =
      new ServerNetworkSettings(
          "prometheus", "almanac-system", Map.of("app.kubernetes.io/name", "almanac"));

  static ModelDeployment locked() {
    var md = ModelDeployments.followingAlias("ml", "covid", "covid-cases", "production");
    var server = new ServerSpec();
    server.setTls(new ServerTlsSpec("covid-tls"));
    server.setAdmin(new AdminPortSpec("covid-admin"));
    md.getSpec().setServer(server);
    return md;
  }

  static Map<String, String> env(ModelDeployment md) {
    return ServerDeploymentDependent.desired(md, PLAN)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getEnv()
        .stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  static List<String> ports(NetworkPolicyIngressRule r) {
    return r.getPorts().stream().map(p -> p.getPort().getStrVal()).toList();
  }

  @Test
  void tlsMountsTheSecretReadOnlyAndProbesSpeakHttps() {
    var md = locked();
    var pod = ServerDeploymentDependent.desired(md, PLAN).getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    Map<String, Volume> volumes =
        pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, Function.identity()));
    assertThat(volumes.get("tls").getSecret().getSecretName()).isEqualTo("covid-tls");
    assertThat(volumes.get("tls").getSecret().getDefaultMode()).isEqualTo(0440);
    assertThat(volumes.get("admin-token").getSecret().getSecretName()).isEqualTo("covid-admin");
    assertThat(volumes.get("admin-token").getSecret().getItems())
        .singleElement()
        .satisfies(i -> assertThat(i.getPath()).isEqualTo("token"));
    Map<String, VolumeMount> mounts =
        container.getVolumeMounts().stream()
            .collect(Collectors.toMap(VolumeMount::getName, Function.identity()));
    assertThat(mounts.get("tls").getMountPath()).isEqualTo("/etc/almanac/tls");
    assertThat(mounts.get("tls").getReadOnly()).isTrue();
    assertThat(mounts.get("admin-token").getReadOnly()).isTrue();
    assertThat(env(md))
        .containsEntry("ALMANAC_TLS_CERT_FILE", "/etc/almanac/tls/tls.crt")
        .containsEntry("ALMANAC_TLS_KEY_FILE", "/etc/almanac/tls/tls.key")
        .containsEntry("ALMANAC_ADMIN_PORT", "8081")
        .containsEntry("ALMANAC_ADMIN_TOKEN_FILE", "/etc/almanac/admin/token");
    assertThat(container.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
    assertThat(container.getLivenessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
    assertThat(container.getStartupProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
    assertThat(container.getPorts())
        .extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("http:8080", "admin:8081");
    // the admin port stays out of the Service; its http port says it speaks HTTPS
    var service = ServerServiceDependent.desired(md);
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getAppProtocol()).isEqualTo("https"));
    assertThat(ServerNames.url(md)).isEqualTo("https://covid.ml.svc:8080");
    // Prometheus scrapes over HTTPS trusting the server's certificate
    var endpoint = ServiceMonitorDependent.desired(md).getSpec().getEndpoints().get(0);
    assertThat(endpoint.getScheme()).isEqualTo("https");
    assertThat(endpoint.getTlsConfig().getServerName()).isEqualTo("covid.ml.svc");
    assertThat(endpoint.getTlsConfig().getCa().getSecret().getName()).isEqualTo("covid-tls");
  }

  @Test
  void withoutTlsOrAdminNothingChanges() {
    var md = ModelDeployments.followingAlias("ml", "covid", "covid-cases", "production");
    var container =
        ServerDeploymentDependent.desired(md, PLAN)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(container.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTP");
    assertThat(container.getStartupProbe().getHttpGet().getScheme()).isEqualTo("HTTP");
    assertThat(container.getPorts()).hasSize(1);
    assertThat(env(md)).doesNotContainKeys("ALMANAC_TLS_CERT_FILE", "ALMANAC_ADMIN_PORT");
    assertThat(ServiceMonitorDependent.desired(md).getSpec().getEndpoints().get(0).getScheme())
        .isNull();
  }

  @Test
  void networkPolicyDefaultsToTheNamespaceMonitoringAndTheOperator() {
    var md = locked();
    var policy = ServerNetworkPolicyDependent.desired(md, SETTINGS);
    assertThat(policy.getMetadata().getName()).isEqualTo("covid");
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(ServerNames.selector(md));
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    var rules = policy.getSpec().getIngress();
    assertThat(rules).hasSize(3);
    // serving port: every pod of the namespace
    assertThat(ports(rules.get(0))).containsExactly("http");
    assertThat(rules.get(0).getFrom())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getNamespaceSelector()).isNull();
              assertThat(p.getPodSelector().getMatchLabels()).isNullOrEmpty();
            });
    // /metrics shares the serving port: the monitoring namespace
    assertThat(ports(rules.get(1))).containsExactly("http");
    assertThat(rules.get(1).getFrom().get(0).getNamespaceSelector().getMatchLabels())
        .isEqualTo(Map.of("kubernetes.io/metadata.name", "prometheus"));
    // admin port: the operator's pods only
    assertThat(ports(rules.get(2))).containsExactly("admin");
    var operator = rules.get(2).getFrom().get(0);
    assertThat(operator.getNamespaceSelector().getMatchLabels())
        .isEqualTo(Map.of("kubernetes.io/metadata.name", "almanac-system"));
    assertThat(operator.getPodSelector().getMatchLabels())
        .isEqualTo(Map.of("app.kubernetes.io/name", "almanac"));
  }

  @Test
  void networkPolicyFollowsTheSpec() {
    var md = ModelDeployments.followingAlias("ml", "covid", "covid-cases", "production");
    var spec = new ServingNetworkPolicySpec();
    var gateway =
        new NetworkPolicyPeerBuilder()
            .withNewNamespaceSelector()
            .addToMatchLabels("kubernetes.io/metadata.name", "gateway")
            .endNamespaceSelector()
            .withNewPodSelector()
            .addToMatchLabels("app", "envoy")
            .endPodSelector()
            .build();
    spec.setFrom(List.of(gateway));
    spec.setMonitoringNamespace("obs");
    md.getSpec().setNetworkPolicy(spec);
    var rules = ServerNetworkPolicyDependent.desired(md, SETTINGS).getSpec().getIngress();
    // no admin port asked for: no admin rule
    assertThat(rules).hasSize(2);
    assertThat(rules.get(0).getFrom()).containsExactly(gateway);
    assertThat(rules.get(1).getFrom().get(0).getNamespaceSelector().getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "obs");
    assertThat(rules.get(0).getPorts().get(0).getPort()).isEqualTo(new IntOrString("http"));
    assertThat(ServerNetworkPolicyDependent.enabled(md)).isTrue();
    spec.setEnabled(false);
    assertThat(ServerNetworkPolicyDependent.enabled(md)).isFalse();
  }

  @Test
  void anUnknownOperatorGetsNoAdminRule() {
    var rules =
        ServerNetworkPolicyDependent.desired(locked(), ServerNetworkSettings.DEFAULT)
            .getSpec()
            .getIngress();
    assertThat(rules).hasSize(2);
    assertThat(rules.get(1).getFrom().get(0).getNamespaceSelector().getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "monitoring");
  }

  @Test
  void settingsComeFromTheEnvironment() {
    var s =
        ServerNetworkSettings.fromEnv(
            Map.of(
                "POD_NAMESPACE", "almanac-system",
                "ALMANAC_MONITORING_NAMESPACE", "prometheus",
                "ALMANAC_OPERATOR_POD_LABELS",
                    "app.kubernetes.io/name=almanac, app.kubernetes.io/instance=rel"));
    assertThat(s)
        .isEqualTo(
            new ServerNetworkSettings(
                "prometheus",
                "almanac-system",
                Map.of("app.kubernetes.io/name", "almanac", "app.kubernetes.io/instance", "rel")));
    assertThat(s.operatorKnown()).isTrue();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ServerNetworkSettings.fromEnv(Map.of("ALMANAC_OPERATOR_POD_LABELS", "oops")))
        .hasMessageContaining("ALMANAC_OPERATOR_POD_LABELS");
  }
}
