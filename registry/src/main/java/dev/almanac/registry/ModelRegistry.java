package dev.almanac.registry;

import java.util.List;

/**
 * What the operator and the model server need from a model registry. {@link MlflowModelRegistry}
 * talks to MLflow; tests of the operator's logic may use an in-memory fake.
 *
 * <p>Every method throws {@link RegistryUnavailableException} when the registry cannot be reached,
 * {@link ResourceNotFoundException} when the model, version or alias does not exist and {@link
 * RegistryRequestException} when the registry refuses the call.
 */
public interface ModelRegistry {

  /** The exact version a URI points at now (alias, stage and latest are looked up). */
  ModelVersionInfo resolve(ModelUri uri);

  ModelVersionInfo getVersion(String name, String version);

  /** All versions of a registered model, newest first. */
  List<ModelVersionInfo> versions(String name);

  /** The newest version in each stage that has one (MLflow's get-latest-versions). */
  List<ModelVersionInfo> latestVersions(String name);

  /**
   * Moves a version to {@code stage}; with {@code archiveExisting} the versions currently in that
   * stage (Staging or Production) move to Archived.
   */
  ModelVersionInfo transitionStage(
      String name, String version, Stage stage, boolean archiveExisting);

  /** Points {@code alias} at {@code version} (moving it if it pointed elsewhere). */
  void setAlias(String name, String alias, String version);

  /** Removes an alias; removing an absent alias is fine. */
  void deleteAlias(String name, String alias);

  void setVersionTag(String name, String version, String key, String value);

  /** Where the version's files are ({@code s3://...} or {@code mlflow-artifacts:/...}). */
  String downloadUri(String name, String version);
}
