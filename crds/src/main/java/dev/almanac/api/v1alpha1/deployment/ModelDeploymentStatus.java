package dev.almanac.api.v1alpha1.deployment;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.List;

/** Observed state of a served model. */
public class ModelDeploymentStatus {
  @JsonPropertyDescription("Generation the status reflects.")
  private Long observedGeneration;

  @JsonPropertyDescription("Ready, ModelResolved, Available, Progressing.")
  private List<Condition> conditions;

  @JsonPropertyDescription("Version the model reference resolves to now.")
  private String resolvedVersion;

  @JsonPropertyDescription(
      "Version whose pods are all ready (differs from resolvedVersion during a rollout).")
  private String servingVersion;

  @StatusReplicas
  @JsonPropertyDescription("Pods of the current Deployment.")
  private Integer replicas;

  @JsonPropertyDescription("Ready pods.")
  private Integer readyReplicas;

  @LabelSelector
  @JsonPropertyDescription("Label selector of the server pods (scale subresource).")
  private String selector;

  @JsonPropertyDescription("In-cluster URL of the model server.")
  private String url;

  @JsonPropertyDescription("Versions served, newest first (bounded).")
  private List<ServedVersion> history;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getResolvedVersion() {
    return resolvedVersion;
  }

  public void setResolvedVersion(String resolvedVersion) {
    this.resolvedVersion = resolvedVersion;
  }

  public String getServingVersion() {
    return servingVersion;
  }

  public void setServingVersion(String servingVersion) {
    this.servingVersion = servingVersion;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public String getSelector() {
    return selector;
  }

  public void setSelector(String selector) {
    this.selector = selector;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public List<ServedVersion> getHistory() {
    return history;
  }

  public void setHistory(List<ServedVersion> history) {
    this.history = history;
  }
}
