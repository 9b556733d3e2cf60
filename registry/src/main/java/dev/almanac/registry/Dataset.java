package dev.almanac.registry;

import java.util.Objects;

/**
 * An MLflow dataset (lineage of a run's input data), as {@code runs/log-inputs} takes it.
 *
 * @param digest short content hash that tells two versions of the data apart
 * @param sourceType e.g. {@code http}, {@code s3}, {@code local}
 * @param source JSON describing the source, e.g. {@code {"url": "https://..."}}
 * @param schema JSON schema of the columns ("" when unknown)
 * @param profile JSON summary, e.g. {@code {"num_rows": 1234}} ("" when unknown)
 */
public record Dataset(
    String name, String digest, String sourceType, String source, String schema, String profile) {
  public Dataset {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(sourceType, "sourceType");
    Objects.requireNonNull(source, "source");
    schema = schema == null ? "" : schema;
    profile = profile == null ? "" : profile;
  }
}
