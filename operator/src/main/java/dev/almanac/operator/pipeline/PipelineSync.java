package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipelineStatus;
import dev.almanac.operator.events.EventRecorder;
import dev.almanac.operator.metrics.AlmanacMetrics;
import dev.almanac.operator.registry.RegistryPorts;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * One pass of a ForecastPipeline, from the pipeline and its Jobs to the next status: checks the
 * spec, runs the {@link PipelineStep}s in order over a {@link PassState}, writes the final state
 * into a copy of the status and lets {@link PipelineConditions} set the conditions. Registry
 * failures propagate before anything is announced: the caller retries and nothing was recorded
 * half-way. Events, metrics and listener calls are queued and only run once the pass has succeeded.
 */
public final class PipelineSync {
  private final RegistryPorts registries;
  private final AlmanacMetrics metrics;
  private final Clock clock;
  private final List<PipelineStep> steps;
  private final PipelineConditions conditions;

  /** The next status, when to look again, and the verb annotations that were acted on. */
  public record Outcome(
      ForecastPipelineStatus status,
      Optional<Duration> requeue,
      List<String> handledAnnotations,
      List<Runnable> announcements) {
    public void announce() {
      announcements.forEach(Runnable::run);
    }
  }

  public PipelineSync(
      KubernetesClient client,
      RegistryPorts registries,
      EventRecorder events,
      AlmanacMetrics metrics,
      Promoter promoter,
      PipelineSettings settings,
      Clock clock) {
    this(
        registries,
        metrics,
        clock,
        List.of(
            new ObserveRuns(new KubernetesRunReader(client), events, metrics),
            new DecidePromotions(
                new PromotionGate(), promoter, events, metrics, settings.promotionsHistory()),
            new LaunchDueRun(new KubernetesRunObjectStore(client), events, settings, clock),
            new PruneHistory(new KubernetesRunObjectStore(client))),
        new PipelineConditions(clock));
  }

  PipelineSync(
      RegistryPorts registries,
      AlmanacMetrics metrics,
      Clock clock,
      List<PipelineStep> steps,
      PipelineConditions conditions) {
    this.registries = registries;
    this.metrics = metrics;
    this.clock = clock;
    this.steps = List.copyOf(steps);
    this.conditions = conditions;
  }

  public Outcome sync(ForecastPipeline fp, Collection<Job> ownedJobs) {
    var now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS);
    var context =
        PipelineContext.of(fp, ownedJobs, now, PipelineSpecCheck.validate(fp), registries);
    var status = StatusPatch.copy(fp.getStatus());
    var state = PassState.of(status);
    var progress = Progress.proceed();
    for (var step : steps) {
      var result = step.apply(context, state);
      state = result.state();
      progress = progress.and(result.progress());
    }
    state.writeTo(status);
    if (!state.findings().specRunDeferred()) {
      status.setObservedGeneration(fp.getMetadata().getGeneration());
    }
    conditions.set(context, state, status);
    var namespace = context.namespace();
    var name = context.name();
    var consecutive = state.consecutiveGateFailures();
    var interval =
        context
            .schedule()
            .filter(s -> !context.suspended())
            .flatMap(s -> s.interval(now))
            .map(Duration::getSeconds)
            .orElse(null);
    var announcements = new ArrayList<>(state.announcements());
    announcements.add(() -> metrics.consecutiveGateFailures(namespace, name, consecutive));
    announcements.add(() -> metrics.scheduleInterval(namespace, name, interval));
    return new Outcome(
        status, progress.requeueAfter(), state.handledAnnotations(), List.copyOf(announcements));
  }
}
