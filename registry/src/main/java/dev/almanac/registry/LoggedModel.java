package dev.almanac.registry;

import java.util.Map;

/**
 * An MLflow 3 logged model: a model with its own identity ({@code m-<32 hex>}) and artifact
 * location, linked to the run that produced it. Registered versions made from it carry its id.
 *
 * @param artifactUri where its files live, e.g. {@code
 *     mlflow-artifacts:/almanac/covid/1/models/m-…/artifacts} or {@code s3://…}
 * @param sourceRunId the run that produced it ("" when none)
 */
public record LoggedModel(
    String modelId,
    String experimentId,
    String name,
    String artifactUri,
    LoggedModelStatus status,
    String sourceRunId,
    String modelType,
    Map<String, String> tags,
    Map<String, String> params) {
  public LoggedModel {
    tags = Map.copyOf(tags);
    params = Map.copyOf(params);
  }

  /** {@code models:/<model id>}: how MLflow 3 names it as a registered version's source. */
  public String uri() {
    return "models:/" + modelId;
  }
}
