package dev.almanac.operator.pipeline;

import java.time.Duration;

/**
 * Operator-wide settings of the pipeline reconciler.
 *
 * @param trainerImage        image of runs whose spec names none
 * @param registryRetryDelay  requeue delay while MLflow is unreachable
 * @param promotionsHistory   entries kept in status.promotions
 * @param trainerServiceAccount service account of trainer pods whose spec names none (null: namespace default)
 */
public record PipelineSettings(String trainerImage, Duration registryRetryDelay, int promotionsHistory,
    String trainerServiceAccount) {
  public PipelineSettings(String trainerImage, Duration registryRetryDelay, int promotionsHistory) {
    this(trainerImage, registryRetryDelay, promotionsHistory, null);
  }
}
