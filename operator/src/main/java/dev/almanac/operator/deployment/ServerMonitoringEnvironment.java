package dev.almanac.operator.deployment;

import dev.almanac.api.v1alpha1.deployment.MonitoringSpec;
import dev.almanac.operator.workload.WorkloadEnvironment;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code spec.monitoring.payloadLogging} and {@code inputDrift} as the model server's {@code
 * ALMANAC_PAYLOAD_LOG_*} and {@code ALMANAC_DRIFT_WINDOW} variables (read by the server's {@code
 * PayloadLogSettings} and {@code ModelServerMain}). The S3 endpoint and keys are the artifact
 * store's, already in the pod through {@link WorkloadEnvironment#registry}.
 */
final class ServerMonitoringEnvironment {
  private ServerMonitoringEnvironment() {}

  static List<EnvVar> of(MonitoringSpec monitoring) {
    var env = new ArrayList<EnvVar>();
    if (monitoring == null) {
      return env;
    }
    var payloads = monitoring.getPayloadLogging();
    if (payloads != null && payloads.getS3() != null) {
      var s3 = payloads.getS3();
      env.add(
          WorkloadEnvironment.value(
              "ALMANAC_PAYLOAD_LOG_URI", "s3://" + s3.getBucket() + "/" + strip(s3.getKey())));
      env.add(
          WorkloadEnvironment.value(
              "ALMANAC_PAYLOAD_LOG_SAMPLE_RATE",
              Double.toString(payloads.getSampleRate() == null ? 0.01 : payloads.getSampleRate())));
      if (payloads.getQueueCapacity() != null) {
        env.add(
            WorkloadEnvironment.value(
                "ALMANAC_PAYLOAD_LOG_QUEUE", Integer.toString(payloads.getQueueCapacity())));
      }
      if (payloads.getFlushSeconds() != null) {
        env.add(
            WorkloadEnvironment.value(
                "ALMANAC_PAYLOAD_LOG_FLUSH_SECONDS", Integer.toString(payloads.getFlushSeconds())));
      }
    }
    var drift = monitoring.getInputDrift();
    if (drift != null && drift.getWindowRequests() != null) {
      env.add(
          WorkloadEnvironment.value(
              "ALMANAC_DRIFT_WINDOW", Integer.toString(drift.getWindowRequests())));
    }
    return env;
  }

  private static String strip(String key) {
    String k = key.startsWith("/") ? key.substring(1) : key;
    return k.endsWith("/") ? k.substring(0, k.length() - 1) : k;
  }
}
