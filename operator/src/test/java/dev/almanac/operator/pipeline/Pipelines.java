package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.common.MlflowSpec;
import dev.almanac.api.v1alpha1.common.SecretRef;
import dev.almanac.api.v1alpha1.pipeline.ConcurrencyPolicy;
import dev.almanac.api.v1alpha1.pipeline.DataSource;
import dev.almanac.api.v1alpha1.pipeline.DataSpec;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipelineSpec;
import dev.almanac.api.v1alpha1.pipeline.Metric;
import dev.almanac.api.v1alpha1.pipeline.PromotionMode;
import dev.almanac.api.v1alpha1.pipeline.PromotionSpec;
import dev.almanac.api.v1alpha1.pipeline.Task;
import dev.almanac.api.v1alpha1.pipeline.ValidationSpec;
import java.util.function.Consumer;

/** Builders of test pipelines. */
final class Pipelines {
  private Pipelines() {}

  static ForecastPipeline pipeline(
      String namespace, String name, String model, Consumer<ForecastPipelineSpec> edit) {
    var fp = new ForecastPipeline();
    fp.getMetadata().setName(name);
    fp.getMetadata().setNamespace(namespace);
    var spec = new ForecastPipelineSpec();
    spec.setTask(Task.FORECAST);
    var data = new DataSpec();
    var source = new DataSource();
    source.setPath("/data/covid.csv");
    data.setSource(source);
    data.setTarget("new_cases");
    spec.setData(data);
    spec.setConcurrencyPolicy(ConcurrencyPolicy.Forbid);
    spec.setStartingDeadlineSeconds(3600L);
    spec.setSuccessfulRunsHistoryLimit(3);
    spec.setFailedRunsHistoryLimit(3);
    spec.setSuspend(false);
    var validation = new ValidationSpec();
    validation.setMetric(Metric.MASE);
    validation.setThreshold("1.0");
    validation.setMustBeatProduction(true);
    spec.setValidation(validation);
    var mlflow = new MlflowSpec();
    mlflow.setTrackingUri("http://mlflow:5000");
    mlflow.setRegisteredModel(model);
    mlflow.setCredentialsSecretRef(new SecretRef("mlflow-credentials"));
    spec.setMlflow(mlflow);
    var promotion = new PromotionSpec();
    promotion.setMode(PromotionMode.Automatic);
    promotion.setAlias("production");
    spec.setPromotion(promotion);
    edit.accept(spec);
    fp.setSpec(spec);
    return fp;
  }

  /** A trainer termination message. */
  static String result(String version, double mase, String championVersion, Double championMase) {
    return "{\"status\":\"succeeded\",\"mlflowRunId\":\"run-"
        + version
        + "\",\"registeredModel\":\"m\",\"modelVersion\":\""
        + version
        + "\",\"metric\":\"MASE\",\"value\":"
        + mase
        + (championVersion == null
            ? ""
            : ",\"championVersion\":\"" + championVersion + "\",\"championMetric\":" + championMase)
        + ",\"metrics\":{\"mase.USA\":\""
        + mase
        + "\"}}";
  }
}
