package dev.almanac.registry;

/**
 * One file of an artifact directory as the artifact store lists it.
 *
 * @param path relative to the listed directory, '/' separators
 * @param size bytes, as the store records them
 */
public record ArtifactFile(String path, long size) {}
