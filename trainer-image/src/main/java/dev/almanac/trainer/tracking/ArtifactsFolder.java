package dev.almanac.trainer.tracking;

/**
 * Where a pipeline keeps objects of its own below {@code spec.artifacts.s3}: {@code
 * s3://<bucket>/<prefix>/<folder>/<name>} (data snapshots, shards' partial bundles).
 */
public final class ArtifactsFolder {
  private ArtifactsFolder() {}

  public static String uri(
      dev.almanac.api.v1alpha1.common.S3ArtifactStore artifacts, String folder, String name) {
    var prefix =
        artifacts.getPrefix() == null ? "" : artifacts.getPrefix().replaceAll("^/+|/+$", "");
    return "s3://"
        + artifacts.getBucket()
        + "/"
        + (prefix.isEmpty() ? "" : prefix + "/")
        + folder
        + "/"
        + name;
  }
}
