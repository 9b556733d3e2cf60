package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.common.Reason;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipelineStatus;
import dev.almanac.api.v1alpha1.pipeline.RunPhase;
import dev.almanac.api.v1alpha1.pipeline.RunRecord;
import dev.almanac.operator.events.EventRecorder;
import dev.almanac.operator.metrics.AlmanacMetrics;
import dev.almanac.operator.registry.RegistryPorts;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One reconcile of a ForecastPipeline, from the pipeline and its Jobs to the next status: observe
 * runs (finish them, gate, promote), act on the verb annotations, start the run that is due (CronJob
 * semantics), prune the history, set the conditions. Registry failures propagate before anything is
 * announced: the caller retries and nothing was recorded half-way. Events, metrics and listener
 * calls are queued and only run once the pass has succeeded. The steps are {@link RunObserver},
 * {@link PromotionVerbs}, {@link RunLauncher}, {@link RunHistory} and {@link PipelineConditions}, in
 * that order, over one {@link PipelinePass}.
 */
public final class PipelineSync {
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final RegistryPorts registries;
  private final AlmanacMetrics metrics;
  private final PipelineSettings settings;
  private final Clock clock;
  private final RunObserver observer;
  private final PromotionVerbs verbs;
  private final RunLauncher launcher;
  private final RunHistory history;
  private final PipelineConditions conditions;

  /** The next status, when to look again, and the verb annotations that were acted on. */
  public record Outcome(ForecastPipelineStatus status, Optional<Duration> requeue, List<String> handledAnnotations,
      List<Runnable> announcements) {
    public void announce() {
      announcements.forEach(Runnable::run);
    }
  }

  public PipelineSync(KubernetesClient client, RegistryPorts registries, EventRecorder events, AlmanacMetrics metrics,
      Promoter promoter, PipelineSettings settings, Clock clock) {
    this.registries = registries;
    this.metrics = metrics;
    this.settings = settings;
    this.clock = clock;
    this.observer = new RunObserver(client, new TrainerResults(client), new PromotionGate(), promoter, events, metrics);
    this.verbs = new PromotionVerbs(promoter, events);
    this.launcher = new RunLauncher(client, events, settings, clock);
    this.history = new RunHistory(launcher);
    this.conditions = new PipelineConditions(clock);
  }

  public Outcome sync(ForecastPipeline fp, Collection<Job> ownedJobs) {
    var now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS);
    var status = copy(fp.getStatus());
    if (status.getConsecutiveGateFailures() == null) {
      // status written before the counter existed: start from what the run history still shows
      status.setConsecutiveGateFailures(consecutiveGateFailures(status.getRuns() == null ? List.of() : status.getRuns()));
    }
    var pass = new PipelinePass(fp, ownedJobs, now, status, validate(fp), registries, settings.promotionsHistory());
    observer.observe(pass);
    verbs.apply(pass);
    Optional<Duration> requeue = launcher.scheduleRuns(pass);
    history.prune(pass);
    var runs = pass.runs;
    // empty collections are written as absent: the API server drops them, and a status that differs
    // from what it reads back would be patched (and re-reconciled) for ever
    status.setRuns(runs.isEmpty() ? null : runs);
    var activeNames = pass.activeRuns().stream().map(RunRecord::getName).toList();
    status.setActiveRuns(activeNames.isEmpty() ? null : activeNames);
    if (!pass.specRunDeferred) {
      status.setObservedGeneration(fp.getMetadata().getGeneration());
    }
    conditions.set(pass);
    var namespace = pass.namespace;
    var name = pass.name;
    var consecutive = status.getConsecutiveGateFailures();
    pass.announcements.add(() -> metrics.consecutiveGateFailures(namespace, name, consecutive));
    pass.announcements.add(() -> metrics.scheduleInterval(namespace, name,
        pass.schedule.filter(s -> !pass.suspended()).flatMap(s -> s.interval(now)).map(Duration::getSeconds).orElse(null)));
    return new Outcome(status, requeue, pass.handled, pass.announcements);
  }

  /** Spec checks the CRD schema cannot do; returns the parsed schedule. */
  public static Optional<RunSchedule> validate(ForecastPipeline fp) {
    var spec = fp.getSpec();
    if (spec == null) {
      throw new InvalidSpecException("", "spec is missing");
    }
    if (spec.getMlflow() == null || spec.getMlflow().getRegisteredModel() == null) {
      throw new InvalidSpecException("mlflow.registeredModel", "is required: every run registers its model in MLflow");
    }
    var validation = spec.getValidation();
    if (validation != null && validation.getThreshold() != null) {
      try {
        Double.parseDouble(validation.getThreshold());
      } catch (NumberFormatException e) {
        throw new InvalidSpecException("validation.threshold", "'" + validation.getThreshold() + "' is not a number");
      }
    }
    if (validation != null && validation.getMetric() != null && spec.getTask() != null
        && !validation.getMetric().fits(spec.getTask())) {
      throw new InvalidSpecException("validation.metric", validation.getMetric() + " does not fit task " + spec.getTask().wireName());
    }
    if (spec.getSchedule() == null || spec.getSchedule().isBlank()) {
      if (spec.getTimeZone() != null) {
        RunSchedule.parse("0 0 * * *", spec.getTimeZone());
      }
      return Optional.empty();
    }
    return Optional.of(RunSchedule.parse(spec.getSchedule(), spec.getTimeZone()));
  }

  /** Deep copy of the current status (or an empty one): the next status is built from it. */
  static ForecastPipelineStatus copy(ForecastPipelineStatus status) {
    return status == null ? new ForecastPipelineStatus() : SERIALIZATION.clone(status);
  }

  static Optional<Instant> parse(String time) {
    if (time == null || time.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(time));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Visible for the reconciler: true when the two statuses serialize the same. */
  static boolean same(ForecastPipelineStatus a, ForecastPipelineStatus b) {
    return Objects.equals(SERIALIZATION.asJson(a == null ? new ForecastPipelineStatus() : a),
        SERIALIZATION.asJson(b == null ? new ForecastPipelineStatus() : b));
  }

  /** Succeeded runs in the history, newest first, whose gates failed before the latest one that passed. */
  private static int consecutiveGateFailures(List<RunRecord> runs) {
    int n = 0;
    for (var r : runs) {
      if (r.getPhase() != RunPhase.Succeeded) {
        continue;
      }
      if (!Reason.GateFailed.name().equals(r.getDecision())) {
        break;
      }
      n++;
    }
    return n;
  }
}
