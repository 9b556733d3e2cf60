package dev.almanac.operator.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.api.v1alpha1.common.S3Location;
import dev.almanac.api.v1alpha1.deployment.InputDriftSpec;
import dev.almanac.api.v1alpha1.deployment.MonitoringSpec;
import dev.almanac.api.v1alpha1.deployment.PayloadLoggingSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** spec.monitoring.payloadLogging / inputDrift reach the server pod as its ALMANAC_* variables. */
class ServerMonitoringEnvironmentTest {
  private static final ServerPlan PLAN =
      new ServerPlan("7", "registry.example/almanac-model-server:1.0");

  private static Map<String, String> env(MonitoringSpec monitoring) {
    var md = ModelDeployments.followingAlias("ml", "disease", "disease", "production");
    md.getSpec().setMonitoring(monitoring);
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

  @Test
  void payloadLoggingAndDriftWindowBecomeServerVariables() {
    var s3 = new S3Location();
    s3.setBucket("almanac-logs");
    s3.setKey("/payloads/disease/");
    var payloads = new PayloadLoggingSpec();
    payloads.setS3(s3);
    payloads.setSampleRate(0.25);
    payloads.setFlushSeconds(30);
    var drift = new InputDriftSpec();
    drift.setWindowRequests(500);
    var monitoring = new MonitoringSpec();
    monitoring.setPayloadLogging(payloads);
    monitoring.setInputDrift(drift);

    assertThat(env(monitoring))
        .containsEntry("ALMANAC_PAYLOAD_LOG_URI", "s3://almanac-logs/payloads/disease")
        .containsEntry("ALMANAC_PAYLOAD_LOG_SAMPLE_RATE", "0.25")
        .containsEntry("ALMANAC_PAYLOAD_LOG_FLUSH_SECONDS", "30")
        .containsEntry("ALMANAC_DRIFT_WINDOW", "500")
        .doesNotContainKey("ALMANAC_PAYLOAD_LOG_QUEUE");
  }

  @Test
  void withoutPayloadLoggingTheServerLogsNothing() {
    assertThat(env(null)).doesNotContainKeys("ALMANAC_PAYLOAD_LOG_URI", "ALMANAC_DRIFT_WINDOW");
    var monitoring = new MonitoringSpec();
    monitoring.setServiceMonitor(true);
    assertThat(env(monitoring)).doesNotContainKey("ALMANAC_PAYLOAD_LOG_URI");
  }
}
