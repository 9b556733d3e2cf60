package dev.almanac.api.v1alpha1.deployment;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** Prometheus Operator integration. */
public class MonitoringSpec {
  @Default("false")
  @JsonPropertyDescription("Create a ServiceMonitor (when the CRD exists).")
  private Boolean serviceMonitor;

  @Default("false")
  @JsonPropertyDescription("Create a PrometheusRule with the server alerts (when the CRD exists).")
  private Boolean prometheusRule;

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
