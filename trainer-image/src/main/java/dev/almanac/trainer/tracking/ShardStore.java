package dev.almanac.trainer.tracking;

import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.registry.ArtifactTransfer;
import dev.almanac.registry.S3ArtifactStore;
import dev.almanac.registry.S3Settings;
import dev.almanac.trainer.pipeline.ExitCode;
import dev.almanac.trainer.pipeline.RunFailure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the shards of one sharded run leave their partial bundles for the merge step: {@code
 * s3://<artifacts bucket>/<prefix>/shards/<run>/shard-<i>/}, each with the manifest {@link
 * ArtifactTransfer} verifies on download. The run name is unique per pipeline run, so a retried
 * shard overwrites only its own partial.
 */
public final class ShardStore implements AutoCloseable {
  public static final String FOLDER = "shards";

  private final String base;
  private final ArtifactTransfer transfer;

  private ShardStore(String base, ArtifactTransfer transfer) {
    this.base = base;
    this.transfer = transfer;
  }

  public static ShardStore of(ForecastPipeline fp, Map<String, String> env, String run) {
    var artifacts =
        fp.getSpec().getArtifacts() == null ? null : fp.getSpec().getArtifacts().getS3();
    if (artifacts == null) {
      throw new RunFailure(
          ExitCode.BAD_SPEC,
          "trainer.shards > 1 needs spec.artifacts.s3: the shards leave their partial bundles"
              + " there for the merge step");
    }
    S3Settings settings;
    try {
      settings = S3Settings.fromEnv(ConnectionEnvironment.merged(fp, env));
    } catch (IllegalArgumentException e) {
      throw new RunFailure(ExitCode.BAD_SPEC, "spec.artifacts.s3: " + e.getMessage(), e);
    }
    return new ShardStore(
        ArtifactsFolder.uri(artifacts, FOLDER, run),
        new ArtifactTransfer(List.of(new S3ArtifactStore(settings))));
  }

  public String uri(int shard) {
    return base + "/shard-" + shard;
  }

  public String put(int shard, Path bundle) {
    transfer.uploadDirectory(bundle, uri(shard));
    return uri(shard);
  }

  /** Every shard's partial bundle, downloaded and verified under {@code dir}; shard 0 first. */
  public List<Path> getAll(int shards, Path dir) {
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      Path local = dir.resolve("shard-" + i);
      transfer.downloadDirectory(uri(i), local);
      out.add(local);
    }
    return out;
  }

  @Override
  public void close() {
    transfer.close();
  }
}
