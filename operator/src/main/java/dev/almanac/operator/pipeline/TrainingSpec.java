package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.pipeline.ForecastPipelineSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;

/**
 * The part of a pipeline spec that decides what a run trains: task, data, features, models, global,
 * ensemble, horizon, validation, mlflow, artifacts and the trainer's image, resources and shards.
 * History limits, suspend, schedule, timeZone, concurrencyPolicy, startingDeadlineSeconds,
 * promotion and batch prediction are left out: editing them never starts a spec-change run.
 */
final class TrainingSpec {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private TrainingSpec() {}

  /** SHA-256 (hex) of the training fields as JSON, in a fixed order. */
  static String digest(ForecastPipelineSpec spec) {
    var fields = new LinkedHashMap<String, Object>();
    fields.put("task", spec.getTask());
    fields.put("data", spec.getData());
    fields.put("features", spec.getFeatures());
    fields.put("models", spec.getModels());
    fields.put("global", spec.getGlobal());
    fields.put("ensemble", spec.getEnsemble());
    fields.put("horizon", spec.getHorizon());
    fields.put("validation", spec.getValidation());
    fields.put("mlflow", spec.getMlflow());
    fields.put("artifacts", spec.getArtifacts());
    var trainer = spec.getTrainer();
    fields.put("trainer.image", trainer == null ? null : trainer.getImage());
    fields.put("trainer.resources", trainer == null ? null : trainer.getResources());
    fields.put("trainer.shards", trainer == null ? null : trainer.getShards());
    return RunNames.hash(JSON.asJson(fields), 64);
  }
}
