package dev.almanac.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Observed state of a pipeline. */
public class ForecastPipelineStatus {
  @JsonPropertyDescription("Generation the status reflects.")
  private Long observedGeneration;

  @JsonPropertyDescription("Ready, Scheduled, Training, Validated, Promoted.")
  private List<Condition> conditions;

  @JsonPropertyDescription("When the last run was scheduled (RFC 3339).")
  private String lastScheduleTime;

  @JsonPropertyDescription("When the last successful run completed.")
  private String lastSuccessfulTime;

  @JsonPropertyDescription("When the next run is due.")
  private String nextScheduleTime;

  @JsonPropertyDescription("Runs whose Jobs are still running.")
  private List<String> activeRuns;

  @JsonPropertyDescription("Recent runs, newest first, bounded by the history limits.")
  private List<RunRecord> runs;

  @JsonPropertyDescription("Registry version currently in production.")
  private String productionVersion;

  @JsonPropertyDescription("Promotion decisions, newest first (bounded).")
  private List<PromotionRecord> promotions;

  @JsonPropertyDescription(
      "Successful runs in a row whose version was rejected by a gate (0 once one passes); not bounded by the run history.")
  private Integer consecutiveGateFailures;

  @JsonPropertyDescription(
      "SHA-256 of the training-relevant spec (task, data, features, models, global, ensemble, horizon, validation, mlflow, artifacts, trainer image/resources/shards) the runs follow: recorded when a spec-change run starts and while a schedule runs the pipeline. An unscheduled pipeline starts a spec-change run only when this changes.")
  private String trainingSpecDigest;

  public String getTrainingSpecDigest() {
    return trainingSpecDigest;
  }

  public void setTrainingSpecDigest(String trainingSpecDigest) {
    this.trainingSpecDigest = trainingSpecDigest;
  }

  public Integer getConsecutiveGateFailures() {
    return consecutiveGateFailures;
  }

  public void setConsecutiveGateFailures(Integer consecutiveGateFailures) {
    this.consecutiveGateFailures = consecutiveGateFailures;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getLastScheduleTime() {
    return lastScheduleTime;
  }

  public void setLastScheduleTime(String lastScheduleTime) {
    this.lastScheduleTime = lastScheduleTime;
  }

  public String getLastSuccessfulTime() {
    return lastSuccessfulTime;
  }

  public void setLastSuccessfulTime(String lastSuccessfulTime) {
    this.lastSuccessfulTime = lastSuccessfulTime;
  }

  public String getNextScheduleTime() {
    return nextScheduleTime;
  }

  public void setNextScheduleTime(String nextScheduleTime) {
    this.nextScheduleTime = nextScheduleTime;
  }

  public List<String> getActiveRuns() {
    return activeRuns;
  }

  public void setActiveRuns(List<String> activeRuns) {
    this.activeRuns = activeRuns;
  }

  public List<RunRecord> getRuns() {
    return runs;
  }

  public void setRuns(List<RunRecord> runs) {
    this.runs = runs;
  }

  public String getProductionVersion() {
    return productionVersion;
  }

  public void setProductionVersion(String productionVersion) {
    this.productionVersion = productionVersion;
  }

  public List<PromotionRecord> getPromotions() {
    return promotions;
  }

  public void setPromotions(List<PromotionRecord> promotions) {
    this.promotions = promotions;
  }
}
