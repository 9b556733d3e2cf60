package dev.almanac.registry;

/** MLflow run status (the names are MLflow's). */
public enum RunStatus {
  RUNNING,
  SCHEDULED,
  FINISHED,
  FAILED,
  KILLED
}
