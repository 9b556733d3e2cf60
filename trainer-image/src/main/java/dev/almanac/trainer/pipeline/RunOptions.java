package dev.almanac.trainer.pipeline;

import java.nio.file.Path;

/**
 * Command-line choices of one run.
 *
 * @param dataOverride replaces {@code spec.data.source} (a local path), or null
 * @param threads CPU threads to use (defaults to availableProcessors, i.e. the container CPU limit)
 * @param champion bundle directory of the current production version, scored on this run's holdout,
 *     or null
 */
public record RunOptions(
    Path output,
    Path dataOverride,
    int shard,
    int shards,
    long seed,
    int threads,
    String runId,
    Path champion) {
  public RunOptions {
    if (shards < 1 || shard < 0 || shard >= shards) {
      throw new IllegalArgumentException(
          "--shard must be in [0, --shards), got " + shard + " of " + shards);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be >= 1");
    }
  }
}
