package dev.almanac.api.v1alpha1.deployment;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;

/** The NetworkPolicy of the model server pods (ingress only; egress stays open for MLflow/S3). */
public class ServingNetworkPolicySpec {
  @Default("true")
  @JsonPropertyDescription(
      "Create the NetworkPolicy; false deletes it (the pods then take traffic from anywhere).")
  private Boolean enabled;

  @JsonPropertyDescription(
      "Who may reach the serving port (NetworkPolicyPeers: namespaceSelector, podSelector). "
          + "Empty: every pod of the ModelDeployment's namespace.")
  private List<NetworkPolicyPeer> from;

  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription(
      "Namespace of the Prometheus that scrapes /metrics (on the serving port); defaults to the "
          + "operator's (Helm values modelServers.networkPolicy.monitoringNamespace).")
  private String monitoringNamespace;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public List<NetworkPolicyPeer> getFrom() {
    return from;
  }

  public void setFrom(List<NetworkPolicyPeer> from) {
    this.from = from;
  }

  public String getMonitoringNamespace() {
    return monitoringNamespace;
  }

  public void setMonitoringNamespace(String monitoringNamespace) {
    this.monitoringNamespace = monitoringNamespace;
  }
}
