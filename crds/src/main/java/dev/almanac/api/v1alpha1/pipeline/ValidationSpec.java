package dev.almanac.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Holdout evaluation and the gates a version must pass. */
@ValidationRule(
    value = "!has(self.threshold) || self.threshold.matches('^-?[0-9]+(\\\\.[0-9]+)?$')",
    message = "threshold must be a decimal number, e.g. '1.0'",
    fieldPath = ".threshold",
    reason = "FieldValueInvalid")
public class ValidationSpec {
  @Default("60")
  @Min(1)
  @Max(3650)
  @JsonPropertyDescription(
      "Last days of each series held out (forecast); larger than the data allows is a run-time error.")
  private Integer holdoutDays;

  @JsonPropertyDescription("Gate metric; default MASE (forecast) or Accuracy (classification).")
  private Metric metric;

  @JsonPropertyDescription(
      "Absolute gate: the metric must be at most (errors) or at least (Accuracy, F1) this value.")
  private String threshold;

  @Default("true")
  @JsonPropertyDescription(
      "Champion/challenger: the new version must beat Production on the same holdout. Production"
          + " is scored with its validation-window model (fitted before its own holdout), so it has"
          + " not seen this one; values within 1e-4 relative tie, and a tie keeps Production.")
  private Boolean mustBeatProduction;

  @Default("5")
  @Min(2)
  @Max(20)
  @JsonPropertyDescription("Classification: stratified cross-validation folds.")
  private Integer cvFolds;

  public Integer getHoldoutDays() {
    return holdoutDays;
  }

  public void setHoldoutDays(Integer holdoutDays) {
    this.holdoutDays = holdoutDays;
  }

  public Metric getMetric() {
    return metric;
  }

  public void setMetric(Metric metric) {
    this.metric = metric;
  }

  public String getThreshold() {
    return threshold;
  }

  public void setThreshold(String threshold) {
    this.threshold = threshold;
  }

  public Boolean getMustBeatProduction() {
    return mustBeatProduction;
  }

  public void setMustBeatProduction(Boolean mustBeatProduction) {
    this.mustBeatProduction = mustBeatProduction;
  }

  public Integer getCvFolds() {
    return cvFolds;
  }

  public void setCvFolds(Integer cvFolds) {
    this.cvFolds = cvFolds;
  }
}
