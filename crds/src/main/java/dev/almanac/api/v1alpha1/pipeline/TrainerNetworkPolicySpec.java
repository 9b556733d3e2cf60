package dev.almanac.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import java.util.List;

/**
 * The NetworkPolicy of the pipeline's trainer pods: egress to DNS, MLflow, S3 (and the data URL)
 * only, no ingress.
 */
public class TrainerNetworkPolicySpec {
  @Default("true")
  @JsonPropertyDescription("Create the NetworkPolicy; false deletes it at the next run.")
  private Boolean enabled;

  @JsonPropertyDescription(
      "More egress rules (NetworkPolicyEgressRule), e.g. a proxy or an S3 endpoint reached "
          + "through another address.")
  private List<NetworkPolicyEgressRule> extraEgress;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public List<NetworkPolicyEgressRule> getExtraEgress() {
    return extraEgress;
  }

  public void setExtraEgress(List<NetworkPolicyEgressRule> extraEgress) {
    this.extraEgress = extraEgress;
  }
}
