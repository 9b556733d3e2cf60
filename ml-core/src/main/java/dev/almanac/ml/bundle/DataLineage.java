package dev.almanac.ml.bundle;

/**
 * Where the training data came from: the source as given, SHA-256 of the stored bytes, data rows
 * read.
 */
public record DataLineage(String source, String sha256, long rows) {}
