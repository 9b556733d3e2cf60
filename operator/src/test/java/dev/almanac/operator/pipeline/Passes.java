package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipelineSpec;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipelineStatus;
import dev.almanac.api.v1alpha1.pipeline.RunPhase;
import dev.almanac.api.v1alpha1.pipeline.RunRecord;
import dev.almanac.api.v1alpha1.pipeline.RunTrigger;
import dev.almanac.operator.registry.ModelRegistryPort;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Fixtures for the step unit tests: pipelines, contexts, Jobs and run records without any server.
 */
final class Passes {
  static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  private Passes() {}

  static ForecastPipeline pipeline(Consumer<ForecastPipelineSpec> edit) {
    var fp = Pipelines.pipeline("ns", "fp", "m", edit);
    fp.getMetadata().setGeneration(1L);
    fp.getMetadata().setUid("uid-fp");
    fp.getMetadata().setCreationTimestamp(NOW.minus(Duration.ofHours(1)).toString());
    return fp;
  }

  static PipelineContext context(
      ForecastPipeline fp, Collection<Job> jobs, ModelRegistryPort registry) {
    return PipelineContext.of(
        fp, jobs, NOW, PipelineSpecCheck.validate(fp), (ns, spec) -> registry);
  }

  static PipelineContext context(ForecastPipeline fp) {
    return context(fp, List.of(), new FakeRegistry());
  }

  static PassState state(RunRecord... runs) {
    var status = new ForecastPipelineStatus();
    status.setRuns(List.of(runs));
    return PassState.of(status);
  }

  static RunRecord run(String name, RunPhase phase, Instant scheduled) {
    var r = new RunRecord();
    r.setName(name);
    r.setJob(name);
    r.setTrigger(RunTrigger.Schedule);
    r.setScheduledTime(scheduled.toString());
    r.setPhase(phase);
    return r;
  }

  /** A Job as the Job controller leaves it: running (no condition), Complete or Failed. */
  static Job job(String name, JobState state, RunTrigger trigger) {
    var job =
        new JobBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("ns")
            .withAnnotations(
                Map.of(
                    RunObjects.TRIGGER,
                    trigger.name(),
                    dev.almanac.operator.Annotations.SCHEDULED_TIME,
                    NOW.minusSeconds(600).toString()))
            .endMetadata()
            .withNewStatus()
            .withStartTime(NOW.minusSeconds(600).toString())
            .endStatus()
            .build();
    if (state != JobState.RUNNING) {
      job.getStatus()
          .setConditions(
              List.of(
                  new JobConditionBuilder()
                      .withType(state == JobState.SUCCEEDED ? "Complete" : "Failed")
                      .withStatus("True")
                      .withLastTransitionTime(NOW.minusSeconds(60).toString())
                      .build()));
      if (state == JobState.SUCCEEDED) {
        job.getStatus().setCompletionTime(NOW.minusSeconds(60).toString());
      }
    }
    return job;
  }

  /** Records what a step asked of the run objects' owner. */
  static final class RecordingStore implements RunObjectStore {
    final List<String> created = new ArrayList<>();
    final List<String> deleted = new ArrayList<>();

    /** Policies applied ("apply name") or deleted ("delete name"), in order, among the runs. */
    final List<String> log = new ArrayList<>();

    @Override
    public void create(ConfigMap spec, Job job) {
      created.add(job.getMetadata().getName());
      log.add("create " + job.getMetadata().getName());
    }

    @Override
    public void applyPolicy(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy policy) {
      log.add("apply " + policy.getMetadata().getName());
    }

    @Override
    public void deletePolicy(String namespace, String name) {
      log.add("delete " + name);
    }

    @Override
    public void delete(String namespace, String run) {
      deleted.add(run);
    }
  }
}
