package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipelineSpec;
import dev.almanac.api.v1alpha1.pipeline.PromotionMode;
import dev.almanac.operator.registry.ModelRegistryPort;
import dev.almanac.operator.registry.RegistryPorts;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What one pass reads and no step changes: the pipeline, the time of the pass (whole seconds), the
 * parsed schedule, the Jobs the informer holds, and the pipeline's registry (looked up once, and
 * only when a step needs MLflow).
 */
record PipelineContext(
    ForecastPipeline fp,
    Instant now,
    Optional<RunSchedule> schedule,
    Map<String, Job> jobs,
    Supplier<ModelRegistryPort> registry) {

  static PipelineContext of(
      ForecastPipeline fp,
      Collection<Job> ownedJobs,
      Instant now,
      Optional<RunSchedule> schedule,
      RegistryPorts registries) {
    var jobs = new LinkedHashMap<String, Job>();
    ownedJobs.forEach(j -> jobs.put(j.getMetadata().getName(), j));
    var namespace = fp.getMetadata().getNamespace();
    return new PipelineContext(
        fp,
        now,
        schedule,
        Map.copyOf(jobs),
        once(() -> registries.forSpec(namespace, fp.getSpec().getMlflow())));
  }

  String namespace() {
    return fp.getMetadata().getNamespace();
  }

  String name() {
    return fp.getMetadata().getName();
  }

  ForecastPipelineSpec spec() {
    return fp.getSpec();
  }

  long generation() {
    return Optional.ofNullable(fp.getMetadata().getGeneration()).orElse(1L);
  }

  String registeredModel() {
    return fp.getSpec().getMlflow().getRegisteredModel();
  }

  PromotionMode mode() {
    var p = fp.getSpec().getPromotion();
    return p == null || p.getMode() == null ? PromotionMode.Automatic : p.getMode();
  }

  boolean suspended() {
    return Boolean.TRUE.equals(fp.getSpec().getSuspend());
  }

  /** A verb annotation's trimmed value; blank counts as absent. */
  Optional<String> annotation(String key) {
    var annotations = fp.getMetadata().getAnnotations();
    return Optional.ofNullable(annotations == null ? null : annotations.get(key))
        .map(String::trim)
        .filter(s -> !s.isEmpty());
  }

  private static <T> Supplier<T> once(Supplier<T> supplier) {
    return new Supplier<>() {
      private T value;

      @Override
      public T get() {
        if (value == null) {
          value = supplier.get();
        }
        return value;
      }
    };
  }
}
