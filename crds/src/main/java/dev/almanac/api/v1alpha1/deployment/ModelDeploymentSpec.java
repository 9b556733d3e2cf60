package dev.almanac.api.v1alpha1.deployment;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.almanac.api.v1alpha1.common.ArtifactsSpec;
import dev.almanac.api.v1alpha1.common.MlflowSpec;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/** Desired state of a served model. */
@ValidationRule(
    value =
        "!has(self.autoscaling) || !has(self.autoscaling.minReplicas) || self.autoscaling.minReplicas <= self.autoscaling.maxReplicas",
    message = "autoscaling.minReplicas must not exceed autoscaling.maxReplicas",
    fieldPath = ".autoscaling.minReplicas",
    reason = "FieldValueInvalid")
@ValidationRule(
    value =
        "!has(self.mlflow) || !has(self.mlflow.registeredModel) || self.mlflow.registeredModel == self.model.registeredModel",
    message =
        "spec.mlflow.registeredModel is deprecated and differs from spec.model.registeredModel: remove it (spec.model.registeredModel names the model)",
    fieldPath = ".mlflow.registeredModel",
    reason = "FieldValueInvalid")
public class ModelDeploymentSpec {
  @Required
  @JsonPropertyDescription("Which registered model version to serve.")
  private ModelRef model;

  @JsonPropertyDescription(
      "MLflow registry that resolves the model; defaults to the operator's (Helm values "
          + "defaults.mlflow).")
  private MlflowSpec mlflow;

  @JsonPropertyDescription(
      "Artifact storage of the model files; defaults to the operator's (Helm values "
          + "defaults.artifacts.s3).")
  private ArtifactsSpec artifacts;

  @Default("1")
  @Min(0)
  @SpecReplicas
  @JsonPropertyDescription("Server replicas (ignored while autoscaling is set).")
  private Integer replicas;

  @JsonPropertyDescription("Creates a HorizontalPodAutoscaler that owns the replica count.")
  private AutoscalingSpec autoscaling;

  @JsonPropertyDescription("Model server container.")
  private ServerSpec server;

  @JsonPropertyDescription("Rolling update limits.")
  private RolloutSpec rollout;

  @JsonPropertyDescription("Prometheus Operator objects (created only when their CRDs exist).")
  private MonitoringSpec monitoring;

  @JsonPropertyDescription(
      "NetworkPolicy of the server pods: serving port from the namespace (or `from`), metrics from "
          + "the monitoring namespace, admin port from the operator. On by default.")
  private ServingNetworkPolicySpec networkPolicy;

  public ModelRef getModel() {
    return model;
  }

  public void setModel(ModelRef model) {
    this.model = model;
  }

  public MlflowSpec getMlflow() {
    return mlflow;
  }

  public void setMlflow(MlflowSpec mlflow) {
    this.mlflow = mlflow;
  }

  public ArtifactsSpec getArtifacts() {
    return artifacts;
  }

  public void setArtifacts(ArtifactsSpec artifacts) {
    this.artifacts = artifacts;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public AutoscalingSpec getAutoscaling() {
    return autoscaling;
  }

  public void setAutoscaling(AutoscalingSpec autoscaling) {
    this.autoscaling = autoscaling;
  }

  public ServerSpec getServer() {
    return server;
  }

  public void setServer(ServerSpec server) {
    this.server = server;
  }

  public RolloutSpec getRollout() {
    return rollout;
  }

  public void setRollout(RolloutSpec rollout) {
    this.rollout = rollout;
  }

  public MonitoringSpec getMonitoring() {
    return monitoring;
  }

  public void setMonitoring(MonitoringSpec monitoring) {
    this.monitoring = monitoring;
  }

  public ServingNetworkPolicySpec getNetworkPolicy() {
    return networkPolicy;
  }

  public void setNetworkPolicy(ServingNetworkPolicySpec networkPolicy) {
    this.networkPolicy = networkPolicy;
  }
}
