package dev.almanac.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.util.Map;

/** One training run. */
public class RunRecord {
  @JsonPropertyDescription("Run name (also the Job and ConfigMap name).")
  private String name;

  @JsonPropertyDescription("Job name.")
  private String job;

  @JsonPropertyDescription(
      "What started the run: Schedule, SpecChange, RunNow (Promotion marks batch prediction Jobs, never a run).")
  // A plain string in the schema, as released: an enum there would make a downgraded CRD refuse
  // values a newer operator writes (CrdCompatibilityTest).
  @SchemaFrom(type = String.class)
  private RunTrigger trigger;

  @JsonPropertyDescription("When the run was due.")
  private String scheduledTime;

  @JsonPropertyDescription("When the Job started.")
  private String startTime;

  @JsonPropertyDescription("When the Job finished.")
  private String completionTime;

  @JsonPropertyDescription("Pending, Running, Succeeded, Failed, Skipped.")
  private RunPhase phase;

  @JsonPropertyDescription("MLflow run id.")
  private String mlflowRunId;

  @JsonPropertyDescription("Registered model version.")
  private String modelVersion;

  @JsonPropertyDescription("Holdout metrics of the promoted candidate (e.g. mase, mase.USA).")
  private Map<String, String> metrics;

  @JsonPropertyDescription("Promoted, AwaitingApproval, GateFailed, NotRun.")
  @SchemaFrom(type = String.class)
  private RunDecision decision;

  @JsonPropertyDescription("Why the run ended this way.")
  private String reason;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getJob() {
    return job;
  }

  public void setJob(String job) {
    this.job = job;
  }

  public RunTrigger getTrigger() {
    return trigger;
  }

  public void setTrigger(RunTrigger trigger) {
    this.trigger = trigger;
  }

  public String getScheduledTime() {
    return scheduledTime;
  }

  public void setScheduledTime(String scheduledTime) {
    this.scheduledTime = scheduledTime;
  }

  public String getStartTime() {
    return startTime;
  }

  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }

  public String getCompletionTime() {
    return completionTime;
  }

  public void setCompletionTime(String completionTime) {
    this.completionTime = completionTime;
  }

  public RunPhase getPhase() {
    return phase;
  }

  public void setPhase(RunPhase phase) {
    this.phase = phase;
  }

  public String getMlflowRunId() {
    return mlflowRunId;
  }

  public void setMlflowRunId(String mlflowRunId) {
    this.mlflowRunId = mlflowRunId;
  }

  public String getModelVersion() {
    return modelVersion;
  }

  public void setModelVersion(String modelVersion) {
    this.modelVersion = modelVersion;
  }

  public Map<String, String> getMetrics() {
    return metrics;
  }

  public void setMetrics(Map<String, String> metrics) {
    this.metrics = metrics;
  }

  public RunDecision getDecision() {
    return decision;
  }

  public void setDecision(RunDecision decision) {
    this.decision = decision;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }
}
