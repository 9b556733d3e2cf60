package dev.almanac.registry;

import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * The model server's first step: resolve a model URI to an exact version and download its files,
 * verified against their manifest (or, for a model MLflow's Python client logged, against what
 * MLflow records).
 */
public final class ModelFetcher {
  private final ModelRegistry registry;
  private final ArtifactTransfer artifacts;

  public ModelFetcher(ModelRegistry registry, ArtifactTransfer artifacts) {
    this.registry = registry;
    this.artifacts = artifacts;
  }

  /** Resolves {@code uri} and downloads the version into {@code target} (absent or empty). */
  public FetchedModel fetch(ModelUri uri, Path target) {
    return fetch(uri, target, path -> true);
  }

  /** Resolves {@code uri} and downloads the files of the version that {@code wanted} accepts. */
  public FetchedModel fetch(ModelUri uri, Path target, Predicate<String> wanted) {
    return fetch(registry.resolve(uri), target, wanted);
  }

  /**
   * Downloads an already resolved version into {@code target} (absent or empty): an Almanac upload
   * against its manifest, a model without one (logged by MLflow's Python client) against what
   * MLflow records ({@link MlflowModelDownload}).
   *
   * @throws NoOnnxFlavorException a model without a manifest that is not ONNX
   */
  public FetchedModel fetch(ModelVersionInfo version, Path target) {
    return fetch(version, target, path -> true);
  }

  /**
   * Like {@link #fetch(ModelVersionInfo, Path)}, but of an Almanac upload only the files whose path
   * {@code wanted} accepts (a server skips what only training reads); a model without a manifest is
   * downloaded whole.
   */
  public FetchedModel fetch(ModelVersionInfo version, Path target, Predicate<String> wanted) {
    var artifactUri = registry.downloadUri(version.name(), version.version());
    if (!artifacts.hasManifest(artifactUri)) {
      return new MlflowModelDownload(artifacts)
          .download(
              version,
              artifactUri,
              target,
              "version " + version.version() + " of " + version.name());
    }
    var manifest = artifacts.downloadDirectory(artifactUri, target, wanted);
    return new FetchedModel(version, artifactUri, target, manifest);
  }
}
