package dev.almanac.registry;

import java.nio.file.Path;

/**
 * A model version downloaded and verified by {@link ModelFetcher}.
 *
 * @param integrity what the download was checked against
 */
public record FetchedModel(
    ModelVersionInfo version,
    String artifactUri,
    Path directory,
    ArtifactManifest manifest,
    Integrity integrity) {

  /** An Almanac upload, checked against its manifest. */
  public FetchedModel(
      ModelVersionInfo version, String artifactUri, Path directory, ArtifactManifest manifest) {
    this(version, artifactUri, directory, manifest, Integrity.ALMANAC_MANIFEST);
  }

  /** How a download was verified. */
  public enum Integrity {
    /** Every file's size and SHA-256 against {@code almanac-manifest.json}. */
    ALMANAC_MANIFEST,
    /**
     * A model MLflow's Python client logged: every file's size against the artifact store's
     * listing, and the MLmodel's onnx flavor.
     */
    MLFLOW_LISTING
  }
}
