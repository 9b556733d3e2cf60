package dev.almanac.api.v1alpha1.pipeline;

/**
 * What became of a run's model version ({@code status.runs[].decision}). The constant names are the
 * serialized values: status written before this enum existed reads back unchanged.
 */
public enum RunDecision {
  /** The version passed its gates and is Production (automatically or by the promote verb). */
  Promoted,
  /**
   * The version passed its gates and waits as the challenger (alias, and stage Staging where the
   * registry has stages) for the promote verb (promotion mode Manual).
   */
  AwaitingApproval,
  /** A gate rejected the version; production is unchanged. */
  GateFailed,
  /** The run registered no version: it failed, was replaced, deleted or skipped. */
  NotRun
}
