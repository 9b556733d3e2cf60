package dev.almanac.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** Where runs are tracked and models registered. */
public class MlflowSpec {
  @Pattern("^https?://.+")
  @JsonPropertyDescription(
      "MLflow tracking server URL, e.g. http://mlflow.mlflow:5000; defaults to the operator's "
          + "(Helm value defaults.mlflow.trackingUri).")
  private String trackingUri;

  @JsonPropertyDescription("Experiment name; defaults to the pipeline's namespace/name.")
  private String experiment;

  @Pattern("^[A-Za-z0-9][A-Za-z0-9._-]{0,255}$")
  @JsonPropertyDescription(
      "Registered model name in the MLflow model registry. ForecastPipeline: defaults to the "
          + "pipeline's name. ModelDeployment: deprecated, spec.model.registeredModel names the model.")
  private String registeredModel;

  @JsonPropertyDescription(
      "Secret with MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD or MLFLOW_TRACKING_TOKEN; without trackingUri, "
          + "defaults to the operator's (Helm value defaults.mlflow.credentialsSecret).")
  private SecretRef credentialsSecretRef;

  public String getTrackingUri() {
    return trackingUri;
  }

  public void setTrackingUri(String trackingUri) {
    this.trackingUri = trackingUri;
  }

  public String getExperiment() {
    return experiment;
  }

  public void setExperiment(String experiment) {
    this.experiment = experiment;
  }

  public String getRegisteredModel() {
    return registeredModel;
  }

  public void setRegisteredModel(String registeredModel) {
    this.registeredModel = registeredModel;
  }

  public SecretRef getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(SecretRef credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }
}
