package dev.almanac.registry;

import java.util.List;
import java.util.Map;

/**
 * A registered model version.
 *
 * @param version MLflow's version number as a string ("7")
 * @param source what the version was registered from: where its files are ({@code
 *     s3://bucket/mlflow/1/<run>/artifacts/model}) or, on MLflow 3, its logged model ({@code
 *     models:/m-…}, files at {@link ModelRegistry#downloadUri})
 * @param runId the run that produced it ("" when registered without one)
 * @param modelId the MLflow 3 logged model it was registered from: the version's {@code model_id},
 *     or the id in its {@code models:/<model id>} source ("" on MLflow 2.x and for a version
 *     registered from a run's artifacts)
 */
public record ModelVersionInfo(
    String name,
    String version,
    Stage stage,
    List<String> aliases,
    String source,
    String runId,
    Map<String, String> tags,
    ModelVersionStatus status,
    String modelId) {
  public ModelVersionInfo {
    aliases = List.copyOf(aliases);
    tags = Map.copyOf(tags);
    modelId = modelId == null ? "" : modelId;
  }

  /** The same version with {@code aliases} (MLflow lists a version's aliases apart). */
  public ModelVersionInfo withAliases(List<String> aliases) {
    return new ModelVersionInfo(
        name, version, stage, aliases, source, runId, tags, status, modelId);
  }

  public long versionNumber() {
    return Long.parseLong(version);
  }

  /** {@code models:/name/version}. */
  public ModelUri uri() {
    return new ModelUri.Version(name, versionNumber());
  }
}
