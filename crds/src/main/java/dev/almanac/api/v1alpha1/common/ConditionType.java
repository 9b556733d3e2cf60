package dev.almanac.api.v1alpha1.common;

/** Condition types of both resources. */
public final class ConditionType {
  public static final String READY = "Ready";
  // ForecastPipeline
  public static final String SCHEDULED = "Scheduled";
  public static final String TRAINING = "Training";
  public static final String VALIDATED = "Validated";
  public static final String PROMOTED = "Promoted";
  // ModelDeployment
  public static final String MODEL_RESOLVED = "ModelResolved";
  public static final String AVAILABLE = "Available";
  public static final String PROGRESSING = "Progressing";

  private ConditionType() {}
}
