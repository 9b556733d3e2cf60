package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import java.util.Optional;

/** Spec checks the CRD schema and its CEL rules cannot do; run before the first step of a pass. */
final class PipelineSpecCheck {
  private PipelineSpecCheck() {}

  /** Throws {@link InvalidSpecException} naming the field; returns the parsed schedule. */
  static Optional<RunSchedule> validate(ForecastPipeline fp) {
    var spec = fp.getSpec();
    if (spec == null) {
      throw new InvalidSpecException("", "spec is missing");
    }
    if (spec.getMlflow() == null || spec.getMlflow().getRegisteredModel() == null) {
      throw new InvalidSpecException(
          "mlflow.registeredModel", "is required: every run registers its model in MLflow");
    }
    var validation = spec.getValidation();
    if (validation != null && validation.getThreshold() != null) {
      try {
        Double.parseDouble(validation.getThreshold());
      } catch (NumberFormatException e) {
        throw new InvalidSpecException(
            "validation.threshold", "'" + validation.getThreshold() + "' is not a number");
      }
    }
    if (validation != null
        && validation.getMetric() != null
        && spec.getTask() != null
        && !validation.getMetric().fits(spec.getTask())) {
      throw new InvalidSpecException(
          "validation.metric",
          validation.getMetric() + " does not fit task " + spec.getTask().wireName());
    }
    if (spec.getSchedule() == null || spec.getSchedule().isBlank()) {
      if (spec.getTimeZone() != null) {
        RunSchedule.parse("0 0 * * *", spec.getTimeZone());
      }
      return Optional.empty();
    }
    return Optional.of(RunSchedule.parse(spec.getSchedule(), spec.getTimeZone()));
  }
}
