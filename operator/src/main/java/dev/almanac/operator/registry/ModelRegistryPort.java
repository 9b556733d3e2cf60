package dev.almanac.operator.registry;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the operator needs from a model registry. The MLflow adapter lives beside it ({@link
 * MlflowRegistryPort}); reconciler tests use an in-memory fake. Every method may throw {@link
 * dev.almanac.registry.RegistryUnavailableException} (MLflow down, timeout, 5xx): callers record a
 * condition and retry, and never take a partial decision.
 */
public interface ModelRegistryPort {
  Optional<VersionInfo> version(String model, String version);

  Optional<VersionInfo> byAlias(String model, String alias);

  /**
   * The newest version in a stage (None, Staging, Production, Archived).
   *
   * @throws StagesRefusedException the registry has no stages
   */
  Optional<VersionInfo> latestInStage(String model, String stage);

  /**
   * @throws StagesRefusedException the registry has no stages (promotion then goes by alias only)
   */
  void transitionStage(String model, String version, String stage, boolean archiveExisting);

  void setAlias(String model, String alias, String version);

  void setTag(String model, String version, String key, String value);

  /**
   * Why Almanac's server could not serve {@code version}, read from its MLmodel (no onnx flavor, an
   * MLmodel that is missing or unreadable), or empty when it can. The default checks nothing
   * (in-memory registries of tests hold no files).
   */
  default Optional<String> servingProblem(VersionInfo version) {
    return Optional.empty();
  }

  /** A registered model version as the operator sees it. */
  record VersionInfo(
      String name,
      String version,
      String stage,
      List<String> aliases,
      Map<String, String> tags,
      String runId,
      String source,
      String status) {}
}
