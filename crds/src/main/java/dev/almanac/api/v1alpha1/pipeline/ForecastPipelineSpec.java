package dev.almanac.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.almanac.api.v1alpha1.common.ArtifactsSpec;
import dev.almanac.api.v1alpha1.common.MlflowSpec;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Desired state of a scheduled training pipeline. */
@ValidationRule(
    value =
        "!has(self.validation) || !has(self.validation.metric) || (self.task == 'forecast' ? self.validation.metric in ['MAE', 'RMSE', 'SMAPE', 'MASE'] : self.validation.metric in ['Accuracy', 'LogLoss', 'F1'])",
    message =
        "validation.metric does not fit the task: forecast takes MAE, RMSE, SMAPE or MASE; classification takes Accuracy, LogLoss or F1",
    fieldPath = ".validation.metric",
    reason = "FieldValueInvalid")
@ValidationRule(
    value =
        "!has(self.models) || self.task != 'forecast' || self.models.all(m, m.type in "
            + ModelType.FORECAST_CEL
            + ")",
    message =
        "forecast takes RandomForest, XGBoost, LightGBM, Linear, Ridge, SeasonalNaive, ETS, Prophet or LSTM models (LogisticRegression is a classification model; use Linear or Ridge for forecasts)",
    fieldPath = ".models",
    reason = "FieldValueInvalid")
@ValidationRule(
    value =
        "!has(self.models) || self.task != 'classification' || self.models.all(m, m.type in "
            + ModelType.CLASSIFICATION_CEL
            + ")",
    message = "classification takes RandomForest, XGBoost or LogisticRegression models",
    fieldPath = ".models",
    reason = "FieldValueInvalid")
@ValidationRule(
    value =
        "!has(self.trainer) || !has(self.trainer.shards) || self.trainer.shards <= 1 || self.task == 'forecast'",
    message =
        "trainer.shards > 1 splits the series of a forecast; a classifier learns from every row at once: set trainer.shards to 1",
    fieldPath = ".trainer.shards",
    reason = "FieldValueInvalid")
@ValidationRule(
    value =
        "!has(self.trainer) || !has(self.trainer.shards) || self.trainer.shards <= 1 || !has(self.global) || !self.global",
    message =
        "a global model learns from every series at once and cannot be sharded: set trainer.shards to 1 or global to false",
    fieldPath = ".trainer.shards",
    reason = "FieldValueInvalid")
@ValidationRule(
    value =
        "!has(self.trainer) || !has(self.trainer.shards) || self.trainer.shards <= 1 || (has(self.artifacts) && has(self.artifacts.s3))",
    message =
        "trainer.shards > 1 needs artifacts.s3: the shards leave their partial bundles there and one merge step registers the version",
    fieldPath = ".trainer.shards",
    reason = "FieldValueRequired")
public class ForecastPipelineSpec {
  @Required
  @JsonPropertyDescription(
      "What the pipeline learns: forecast (daily series) or classification (label from features).")
  private Task task;

  @ValidationRule(
      value =
          "self.matches('^(@(yearly|annually|monthly|weekly|daily|hourly)|[0-9A-Za-z*?/,-]+( +[0-9A-Za-z*?/,-]+){4})$')",
      message =
          "schedule must be a five-field cron expression (minute hour day-of-month month day-of-week), e.g. '0 3 * * *'",
      reason = "FieldValueInvalid")
  @JsonPropertyDescription("Cron schedule of training runs; omitted means one run per spec change.")
  private String schedule;

  @Default("Etc/UTC")
  @JsonPropertyDescription("IANA time zone of the schedule.")
  private String timeZone;

  @Default("false")
  @JsonPropertyDescription("Suspend scheduling; running Jobs are not stopped.")
  private Boolean suspend;

  @Default("Forbid")
  @JsonPropertyDescription("What to do when a run is due while another runs.")
  private ConcurrencyPolicy concurrencyPolicy;

  @Default("3600")
  @Min(0)
  @JsonPropertyDescription(
      "A run missed by more than this (e.g. during an operator outage) is skipped and reported.")
  private Long startingDeadlineSeconds;

  @Default("3")
  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Successful runs kept in status (older Jobs are deleted).")
  private Integer successfulRunsHistoryLimit;

  @Default("3")
  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "Failed runs kept in status (older Jobs are deleted); runs skipped for a missed schedule are kept up to the same number, counted apart.")
  private Integer failedRunsHistoryLimit;

  @Required
  @JsonPropertyDescription("Training data.")
  private DataSpec data;

  @JsonPropertyDescription("Feature engineering of forecast pipelines.")
  private FeatureSpec features;

  @Size(min = 1, max = 16)
  @JsonPropertyDescription("Candidate models; omitted means the task's default set.")
  private List<ModelSpec> models;

  @Default("false")
  @JsonPropertyDescription("One model across all series instead of one per series.")
  private Boolean global;

  @JsonPropertyDescription("How candidates are combined.")
  private EnsembleSpec ensemble;

  @Default("28")
  @Min(1)
  @Max(365)
  @JsonPropertyDescription("Forecast horizon in days.")
  private Integer horizon;

  @JsonPropertyDescription("Holdout evaluation and promotion gates.")
  private ValidationSpec validation;

  @JsonPropertyDescription(
      "MLflow tracking and registry; defaults to the operator's (Helm values defaults.mlflow) "
          + "and a registered model named after the pipeline.")
  private MlflowSpec mlflow;

  @JsonPropertyDescription(
      "Artifact storage; defaults to the operator's (Helm values defaults.artifacts.s3).")
  private ArtifactsSpec artifacts;

  @JsonPropertyDescription("How a validated model version reaches production.")
  private PromotionSpec promotion;

  @JsonPropertyDescription("The training Job.")
  private TrainerSpec trainer;

  @JsonPropertyDescription("Batch forecasts written after each promotion.")
  private BatchPredictionSpec batchPrediction;

  public Task getTask() {
    return task;
  }

  public void setTask(Task task) {
    this.task = task;
  }

  public String getSchedule() {
    return schedule;
  }

  public void setSchedule(String schedule) {
    this.schedule = schedule;
  }

  public String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  public ConcurrencyPolicy getConcurrencyPolicy() {
    return concurrencyPolicy;
  }

  public void setConcurrencyPolicy(ConcurrencyPolicy concurrencyPolicy) {
    this.concurrencyPolicy = concurrencyPolicy;
  }

  public Long getStartingDeadlineSeconds() {
    return startingDeadlineSeconds;
  }

  public void setStartingDeadlineSeconds(Long startingDeadlineSeconds) {
    this.startingDeadlineSeconds = startingDeadlineSeconds;
  }

  public Integer getSuccessfulRunsHistoryLimit() {
    return successfulRunsHistoryLimit;
  }

  public void setSuccessfulRunsHistoryLimit(Integer successfulRunsHistoryLimit) {
    this.successfulRunsHistoryLimit = successfulRunsHistoryLimit;
  }

  public Integer getFailedRunsHistoryLimit() {
    return failedRunsHistoryLimit;
  }

  public void setFailedRunsHistoryLimit(Integer failedRunsHistoryLimit) {
    this.failedRunsHistoryLimit = failedRunsHistoryLimit;
  }

  public DataSpec getData() {
    return data;
  }

  public void setData(DataSpec data) {
    this.data = data;
  }

  public FeatureSpec getFeatures() {
    return features;
  }

  public void setFeatures(FeatureSpec features) {
    this.features = features;
  }

  public List<ModelSpec> getModels() {
    return models;
  }

  public void setModels(List<ModelSpec> models) {
    this.models = models;
  }

  public Boolean getGlobal() {
    return global;
  }

  public void setGlobal(Boolean global) {
    this.global = global;
  }

  public EnsembleSpec getEnsemble() {
    return ensemble;
  }

  public void setEnsemble(EnsembleSpec ensemble) {
    this.ensemble = ensemble;
  }

  public Integer getHorizon() {
    return horizon;
  }

  public void setHorizon(Integer horizon) {
    this.horizon = horizon;
  }

  public ValidationSpec getValidation() {
    return validation;
  }

  public void setValidation(ValidationSpec validation) {
    this.validation = validation;
  }

  public MlflowSpec getMlflow() {
    return mlflow;
  }

  public void setMlflow(MlflowSpec mlflow) {
    this.mlflow = mlflow;
  }

  public ArtifactsSpec getArtifacts() {
    return artifacts;
  }

  public void setArtifacts(ArtifactsSpec artifacts) {
    this.artifacts = artifacts;
  }

  public PromotionSpec getPromotion() {
    return promotion;
  }

  public void setPromotion(PromotionSpec promotion) {
    this.promotion = promotion;
  }

  public TrainerSpec getTrainer() {
    return trainer;
  }

  public void setTrainer(TrainerSpec trainer) {
    this.trainer = trainer;
  }

  public BatchPredictionSpec getBatchPrediction() {
    return batchPrediction;
  }

  public void setBatchPrediction(BatchPredictionSpec batchPrediction) {
    this.batchPrediction = batchPrediction;
  }
}
