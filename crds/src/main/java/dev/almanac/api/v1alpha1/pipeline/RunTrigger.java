package dev.almanac.api.v1alpha1.pipeline;

import java.util.Arrays;
import java.util.Optional;

/**
 * What started a run ({@code status.runs[].trigger}, the {@code almanac.dev/trigger} annotation of
 * run objects). The constant names are the serialized values.
 */
public enum RunTrigger {
  /** A time of {@code spec.schedule} came due. */
  Schedule,
  /** An unscheduled pipeline's training spec changed (or the pipeline was created). */
  SpecChange,
  /** The {@code almanac.dev/run-now} annotation. */
  RunNow,
  /** A promotion started a batch prediction Job (not a training run). */
  Promotion;

  /** The trigger an annotation names, empty for a value this operator never writes. */
  public static Optional<RunTrigger> fromAnnotation(String value) {
    return Arrays.stream(values()).filter(t -> t.name().equals(value)).findFirst();
  }
}
