package dev.almanac.registry;

import java.util.Optional;

/**
 * Identity and state of an MLflow run.
 *
 * @param artifactUri where the run's artifacts live: {@code s3://...} or {@code
 *     mlflow-artifacts:/...}
 */
public record RunInfo(
    String runId,
    String experimentId,
    String runName,
    RunStatus status,
    String artifactUri,
    long startTime,
    Optional<Long> endTime) {}
