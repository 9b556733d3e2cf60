package dev.almanac.registry;

import java.util.Optional;

/**
 * A model version registered by {@link ModelPublisher}, with the manifest of its uploaded files
 * and, on a server with logged models (MLflow 3), the logged model it was registered from.
 */
public record PublishedModel(
    ModelVersionInfo version, ArtifactManifest manifest, Optional<LoggedModel> loggedModel) {

  /** A version registered from the run's artifacts (no logged model). */
  public PublishedModel(ModelVersionInfo version, ArtifactManifest manifest) {
    this(version, manifest, Optional.empty());
  }
}
