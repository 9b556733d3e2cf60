package dev.almanac.api.v1alpha1.common;

/**
 * The one fixed set of reasons used by conditions and Events of both resources. Reasons are API:
 * alerts, {@code kubectl wait} and runbooks match on them, so add, never rename.
 */
public enum Reason {
  // ForecastPipeline
  Scheduled,
  Suspended,
  RunStarted,
  RunSucceeded,
  RunFailed,
  RunSkipped,
  MissedSchedule,
  GatePassed,
  GateFailed,
  AwaitingApproval,
  Promoted,
  /** A promotion by the almanac.dev/promote annotation (status.promotions[].reason). */
  ManualPromotion,
  RolledBack,
  PromotionFailed,
  BatchPredictionStarted,
  BatchPredictionFailed,
  // both
  InvalidSpec,
  MlflowUnreachable,
  Reconciled,
  // ModelDeployment
  ModelResolved,
  ModelNotFound,
  Available,
  Unavailable,
  Progressing,
  RolloutComplete,
  RolloutStalled,
  /** New server pods cannot start: their image cannot be pulled or found. */
  ImageUnavailable,
  MonitoringUnavailable,
  /**
   * The resolved version is not something the server can serve (no onnx flavor, an unreadable
   * MLmodel); the last served version keeps serving.
   */
  ModelNotServable
}
