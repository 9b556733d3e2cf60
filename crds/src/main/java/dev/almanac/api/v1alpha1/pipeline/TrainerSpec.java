package dev.almanac.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** The training Job. */
public class TrainerSpec {
  @JsonPropertyDescription("Trainer image; defaults to the operator's configured trainer image.")
  private String image;

  @JsonPropertyDescription("Container resources.")
  private ResourceRequirements resources;

  @Default("1")
  @Min(1)
  @Max(64)
  @JsonPropertyDescription(
      "More than 1 runs an Indexed Job, one shard per slice of series (per-series forecasts only;"
          + " needs artifacts.s3): each shard leaves a partial bundle under"
          + " <artifacts.s3.prefix>/shards/<run>/, then one merge Job assembles one bundle and"
          + " registers one version, which alone is gated and promoted.")
  private Integer shards;

  @Default("1")
  @Min(0)
  @Max(10)
  @JsonPropertyDescription("Job retries.")
  private Integer backoffLimit;

  @Default("3600")
  @Min(60)
  @JsonPropertyDescription("Job time limit.")
  private Long activeDeadlineSeconds;

  @JsonPropertyDescription("Service account of the trainer pod (needs no Kubernetes API access).")
  private String serviceAccountName;

  @JsonPropertyDescription(
      "NetworkPolicy of the trainer pods: egress to DNS, MLflow, S3 and the data URL only. On by "
          + "default.")
  private TrainerNetworkPolicySpec networkPolicy;

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public Integer getShards() {
    return shards;
  }

  public void setShards(Integer shards) {
    this.shards = shards;
  }

  public Integer getBackoffLimit() {
    return backoffLimit;
  }

  public void setBackoffLimit(Integer backoffLimit) {
    this.backoffLimit = backoffLimit;
  }

  public Long getActiveDeadlineSeconds() {
    return activeDeadlineSeconds;
  }

  public void setActiveDeadlineSeconds(Long activeDeadlineSeconds) {
    this.activeDeadlineSeconds = activeDeadlineSeconds;
  }

  public String getServiceAccountName() {
    return serviceAccountName;
  }

  public void setServiceAccountName(String serviceAccountName) {
    this.serviceAccountName = serviceAccountName;
  }

  public TrainerNetworkPolicySpec getNetworkPolicy() {
    return networkPolicy;
  }

  public void setNetworkPolicy(TrainerNetworkPolicySpec networkPolicy) {
    this.networkPolicy = networkPolicy;
  }
}
