package dev.almanac.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {
  @Test
  void readsTheChartsEnvironment() {
    var c =
        OperatorConfig.fromEnv(
            Map.of(
                "ALMANAC_WATCH_NAMESPACES",
                "team-a, team-b,",
                "ALMANAC_LEADER_ELECTION",
                "true",
                "ALMANAC_LEASE_NAME",
                "lease",
                "POD_NAME",
                "op-0",
                "POD_NAMESPACE",
                "almanac",
                "ALMANAC_TRAINER_IMAGE",
                "t:1",
                "ALMANAC_SERVER_IMAGE",
                "s:1",
                "ALMANAC_REGISTRY_POLL_SECONDS",
                "15",
                "ALMANAC_HTTP_PORT",
                "9090"));
    assertThat(c.watchNamespaces()).containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(c.leaderElection()).isTrue();
    assertThat(c.podName()).isEqualTo("op-0");
    assertThat(c.registryPoll()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.httpPort()).isEqualTo(9090);
    assertThat(c.trainerImage()).isEqualTo("t:1");
    assertThat(c.readCredentialSecrets()).isFalse();
  }

  @Test
  void workloadAccountsAndTheOperatorsOwnRegistryCredentials() {
    var c =
        OperatorConfig.fromEnv(
            Map.of(
                "ALMANAC_TRAINER_SERVICE_ACCOUNT",
                "almanac-trainer",
                "ALMANAC_SERVER_SERVICE_ACCOUNT",
                "almanac-model-server",
                "ALMANAC_READ_CREDENTIAL_SECRETS",
                "true",
                "MLFLOW_TRACKING_USERNAME",
                "ops",
                "MLFLOW_TRACKING_PASSWORD",
                "s3cr3t"));
    assertThat(c.trainerServiceAccount()).isEqualTo("almanac-trainer");
    assertThat(c.serverServiceAccount()).isEqualTo("almanac-model-server");
    assertThat(c.readCredentialSecrets()).isTrue();
    assertThat(c.registryCredentials()).isPresent();
    assertThat(c.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void defaultsWatchAllNamespacesOnPort8080() {
    var c = OperatorConfig.fromEnv(Map.of("ALMANAC_WATCH_NAMESPACES", " "));
    assertThat(c.watchAllNamespaces()).isTrue();
    assertThat(c.leaderElection()).isFalse();
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.leaseName()).isEqualTo(OperatorConfig.DEFAULT_LEASE_NAME);
  }

  @Test
  void badValuesNameTheVariable() {
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("ALMANAC_LEADER_ELECTION", "yes")))
        .hasMessageContaining("ALMANAC_LEADER_ELECTION");
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("ALMANAC_LEADER_ELECTION", "true")))
        .hasMessageContaining("POD_NAMESPACE");
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("ALMANAC_HTTP_PORT", "x")))
        .hasMessageContaining("ALMANAC_HTTP_PORT");
  }
}
