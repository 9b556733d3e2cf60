package dev.almanac.api.v1alpha1.pipeline;

/** Lifecycle of one training run. */
public enum RunPhase {
  Pending,
  Running,
  Succeeded,
  Failed,
  Skipped;
}
