package dev.almanac.operator.pipeline;

import dev.almanac.operator.config.PlatformDefaults;
import java.time.Duration;

/**
 * Operator-wide settings of the pipeline reconciler.
 *
 * @param trainerImage image of runs whose spec names none
 * @param registryRetryDelay requeue delay while MLflow is unreachable
 * @param promotionsHistory entries kept in status.promotions
 * @param trainerServiceAccount service account of trainer pods whose spec names none (null:
 *     namespace default)
 * @param defaults the platform's MLflow and S3 for pipelines that leave them out
 */
public record PipelineSettings(
    String trainerImage,
    Duration registryRetryDelay,
    int promotionsHistory,
    String trainerServiceAccount,
    PlatformDefaults defaults) {
  public PipelineSettings(String trainerImage, Duration registryRetryDelay, int promotionsHistory) {
    this(trainerImage, registryRetryDelay, promotionsHistory, null, PlatformDefaults.NONE);
  }

  public PipelineSettings(
      String trainerImage,
      Duration registryRetryDelay,
      int promotionsHistory,
      String trainerServiceAccount) {
    this(
        trainerImage,
        registryRetryDelay,
        promotionsHistory,
        trainerServiceAccount,
        PlatformDefaults.NONE);
  }
}
