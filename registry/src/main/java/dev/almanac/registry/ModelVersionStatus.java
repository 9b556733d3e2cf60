package dev.almanac.registry;

/** Registration status of a model version (MLflow's names). */
public enum ModelVersionStatus {
  PENDING_REGISTRATION,
  FAILED_REGISTRATION,
  READY
}
