package dev.almanac.trainer.tracking;

/**
 * What MLflow holds after a run: the run, the version it registered (in Staging), and the
 * Production version it was compared with ({@code championVersion} null when there was none).
 */
public record RecordedRun(
    String mlflowRunId,
    String registeredModel,
    String modelVersion,
    String championVersion,
    Double championValue) {}
