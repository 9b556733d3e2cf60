package dev.almanac.api.v1alpha1.deployment;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.IntOrString;

/** Rolling update limits of the server Deployment. */
public class RolloutSpec {
  @JsonPropertyDescription("Pods that may be unavailable during a rollout (default 0).")
  private IntOrString maxUnavailable;

  @JsonPropertyDescription("Extra pods during a rollout (default 1).")
  private IntOrString maxSurge;

  public IntOrString getMaxUnavailable() {
    return maxUnavailable;
  }

  public void setMaxUnavailable(IntOrString maxUnavailable) {
    this.maxUnavailable = maxUnavailable;
  }

  public IntOrString getMaxSurge() {
    return maxSurge;
  }

  public void setMaxSurge(IntOrString maxSurge) {
    this.maxSurge = maxSurge;
  }
}
