package dev.almanac.api.v1alpha1.deployment;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** Prometheus Operator integration, sampled request logging and input drift. */
public class MonitoringSpec {
  @Default("false")
  @JsonPropertyDescription("Create a ServiceMonitor (when the CRD exists).")
  private Boolean serviceMonitor;

  @Default("false")
  @JsonPropertyDescription("Create a PrometheusRule with the server alerts (when the CRD exists).")
  private Boolean prometheusRule;

  @JsonPropertyDescription(
      "Sampled request logging to S3 (requests and replies as Zstandard-compressed JSON lines); off when absent.")
  private PayloadLoggingSpec payloadLogging;

  @JsonPropertyDescription(
      "Input drift of a classifier (needs a bundle with input_profile.json); on with defaults when absent.")
  private InputDriftSpec inputDrift;

  public PayloadLoggingSpec getPayloadLogging() {
    return payloadLogging;
  }

  public void setPayloadLogging(PayloadLoggingSpec payloadLogging) {
    this.payloadLogging = payloadLogging;
  }

  public InputDriftSpec getInputDrift() {
    return inputDrift;
  }

  public void setInputDrift(InputDriftSpec inputDrift) {
    this.inputDrift = inputDrift;
  }

  public Boolean getServiceMonitor() {
    return serviceMonitor;
  }

  public void setServiceMonitor(Boolean serviceMonitor) {
    this.serviceMonitor = serviceMonitor;
  }

  public Boolean getPrometheusRule() {
    return prometheusRule;
  }

  public void setPrometheusRule(Boolean prometheusRule) {
    this.prometheusRule = prometheusRule;
  }
}
