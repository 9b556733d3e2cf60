package dev.almanac.api.v1alpha1.pipeline;

/** What happens when a run is due while another still runs (CronJob semantics). */
public enum ConcurrencyPolicy {
  Allow,
  Forbid,
  Replace;
}
