package dev.almanac.registry;

/**
 * A model version registered by {@link ModelPublisher}, with the manifest of its uploaded files.
 */
public record PublishedModel(ModelVersionInfo version, ArtifactManifest manifest) {}
