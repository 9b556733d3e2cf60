package dev.almanac.registry;

import java.nio.file.Path;

/**
 * The model server's first step: resolve a model URI to an exact version and download its files,
 * verified against their manifest.
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
    var version = registry.resolve(uri);
    return fetch(version, target);
  }

  /** Downloads an already resolved version into {@code target} (absent or empty). */
  public FetchedModel fetch(ModelVersionInfo version, Path target) {
    var artifactUri = registry.downloadUri(version.name(), version.version());
    var manifest = artifacts.downloadDirectory(artifactUri, target);
    return new FetchedModel(version, artifactUri, target, manifest);
  }
}
