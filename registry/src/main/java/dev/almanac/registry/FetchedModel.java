package dev.almanac.registry;

import java.nio.file.Path;

/** A model version downloaded and verified by {@link ModelFetcher}. */
public record FetchedModel(
    ModelVersionInfo version, String artifactUri, Path directory, ArtifactManifest manifest) {}
