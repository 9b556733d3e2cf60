package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.common.ConditionType;
import dev.almanac.api.v1alpha1.common.Conditions;
import dev.almanac.api.v1alpha1.common.Reason;
import dev.almanac.api.v1alpha1.pipeline.ConcurrencyPolicy;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipelineStatus;
import dev.almanac.api.v1alpha1.pipeline.PromotionMode;
import dev.almanac.api.v1alpha1.pipeline.PromotionRecord;
import dev.almanac.api.v1alpha1.pipeline.RunPhase;
import dev.almanac.api.v1alpha1.pipeline.RunRecord;
import dev.almanac.operator.Annotations;
import dev.almanac.operator.Labels;
import dev.almanac.operator.events.EventRecorder;
import dev.almanac.operator.metrics.AlmanacMetrics;
import dev.almanac.operator.registry.ModelRegistryPort;
import dev.almanac.operator.registry.RegistryPorts;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile of a ForecastPipeline, from the pipeline and its Jobs to the next status: observe
 * runs (finish them, gate, promote), act on the verb annotations, start the run that is due (CronJob
 * semantics), prune the history, set the conditions. Registry failures propagate before anything is
 * announced: the caller retries and nothing was recorded half-way. Events, metrics and listener
 * calls are queued and only run once the pass has succeeded.
 */
public final class PipelineSync {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineSync.class);
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final KubernetesClient client;
  private final RegistryPorts registries;
  private final EventRecorder events;
  private final AlmanacMetrics metrics;
  private final Promoter promoter;
  private final PromotionGate gate = new PromotionGate();
  private final TrainerResults results;
  private final PipelineSettings settings;
  private final Clock clock;

  /** The next status, when to look again, and the verb annotations that were acted on. */
  public record Outcome(ForecastPipelineStatus status, Optional<Duration> requeue, List<String> handledAnnotations,
      List<Runnable> announcements) {
    public void announce() {
      announcements.forEach(Runnable::run);
    }
  }

  public PipelineSync(KubernetesClient client, RegistryPorts registries, EventRecorder events, AlmanacMetrics metrics,
      Promoter promoter, PipelineSettings settings, Clock clock) {
    this.client = client;
    this.registries = registries;
    this.events = events;
    this.metrics = metrics;
    this.promoter = promoter;
    this.results = new TrainerResults(client);
    this.settings = settings;
    this.clock = clock;
  }

  public Outcome sync(ForecastPipeline fp, Collection<Job> ownedJobs) {
    return new Pass(fp, ownedJobs).run();
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

  private record DueRun(String trigger, String name, Instant scheduledTime) {}

  private final class Pass {
    private final ForecastPipeline fp;
    private final String namespace;
    private final String name;
    private final Instant now;
    private final ForecastPipelineStatus status;
    private final List<RunRecord> runs;
    private final Map<String, Job> jobs = new HashMap<>();
    private final List<String> handled = new ArrayList<>();
    private final List<Runnable> announcements = new ArrayList<>();
    private ModelRegistryPort registry;
    private Optional<RunSchedule> schedule = Optional.empty();
    private String waiting;
    private String invalidFromRun;
    private String lastPromotionFailure;
    private boolean specRunDeferred;

    Pass(ForecastPipeline fp, Collection<Job> ownedJobs) {
      this.fp = fp;
      this.namespace = fp.getMetadata().getNamespace();
      this.name = fp.getMetadata().getName();
      this.now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS);
      this.status = copy(fp.getStatus());
      this.runs = status.getRuns() == null ? new ArrayList<>() : new ArrayList<>(status.getRuns());
      ownedJobs.forEach(j -> jobs.put(j.getMetadata().getName(), j));
    }

    Outcome run() {
      schedule = validate(fp);
      adoptUnknownJobs();
      observeRuns();
      applyVerbs();
      Optional<Duration> requeue = scheduleRuns();
      pruneHistory();
      // empty collections are written as absent: the API server drops them, and a status that differs
      // from what it reads back would be patched (and re-reconciled) for ever
      status.setRuns(runs.isEmpty() ? null : runs);
      var activeNames = runs.stream().filter(Pass::active).map(RunRecord::getName).toList();
      status.setActiveRuns(activeNames.isEmpty() ? null : activeNames);
      if (!specRunDeferred) {
        status.setObservedGeneration(fp.getMetadata().getGeneration());
      }
      setConditions();
      var consecutive = consecutiveGateFailures();
      announcements.add(() -> metrics.consecutiveGateFailures(namespace, name, consecutive));
      announcements.add(() -> metrics.scheduleInterval(namespace, name,
          schedule.filter(s -> !suspended()).flatMap(s -> s.interval(now)).map(Duration::getSeconds).orElse(null)));
      return new Outcome(status, requeue, handled, announcements);
    }

    // ---- observe -------------------------------------------------------------------------

    private void adoptUnknownJobs() {
      for (var job : jobs.values()) {
        var jobName = job.getMetadata().getName();
        if (find(jobName).isEmpty()) {
          var record = new RunRecord();
          record.setName(jobName);
          record.setJob(jobName);
          var annotations = job.getMetadata().getAnnotations() == null ? Map.<String, String>of() : job.getMetadata().getAnnotations();
          record.setTrigger(annotations.getOrDefault(RunObjects.TRIGGER, "Schedule"));
          record.setScheduledTime(annotations.getOrDefault(Annotations.SCHEDULED_TIME, job.getMetadata().getCreationTimestamp()));
          record.setPhase(RunPhase.Running);
          runs.add(record);
          LOG.info("{}/{}: adopted existing Job {}", namespace, name, jobName);
        }
      }
    }

    private void observeRuns() {
      for (var record : List.copyOf(runs)) {
        if (!active(record)) {
          continue;
        }
        var job = jobs.get(record.getJob());
        if (job == null) {
          // the informer may not have seen a Job created by the previous reconcile yet: ask the server
          job = client.batch().v1().jobs().inNamespace(namespace).withName(record.getJob()).get();
        }
        if (job == null) {
          record.setPhase(RunPhase.Failed);
          record.setCompletionTime(now.toString());
          record.setReason("Job " + record.getJob() + " was deleted before it finished");
          var message = "run " + record.getName() + " failed: " + record.getReason();
          announcements.add(() -> events.warning(fp, Reason.RunFailed, message));
          continue;
        }
        var js = job.getStatus();
        if (js != null && js.getStartTime() != null) {
          record.setStartTime(js.getStartTime());
        }
        var finished = JobState.of(job);
        if (finished == JobState.RUNNING) {
          record.setPhase(js != null && js.getStartTime() != null ? RunPhase.Running : RunPhase.Pending);
        } else {
          finish(record, job, finished == JobState.SUCCEEDED);
        }
      }
    }

    private void finish(RunRecord record, Job job, boolean jobSucceeded) {
      var completion = JobState.completionTime(job).orElse(now.toString());
      record.setCompletionTime(completion);
      var duration = duration(record.getStartTime(), completion);
      var reports = results.read(namespace, record.getName());
      var success = reports.results().stream().filter(r -> r.succeeded() && r.modelVersion() != null).findFirst();
      if (!jobSucceeded || success.isEmpty()) {
        var failure = reports.results().stream().filter(r -> !r.succeeded()).findFirst();
        String reason;
        if (failure.isPresent() && failure.get().reason() != null) {
          reason = failure.get().reason();
        } else if (jobSucceeded) {
          reason = "the trainer finished without reporting a registered version" + reports.podReason().map(r -> " (" + r + ")").orElse("");
        } else {
          reason = reports.podReason().orElseGet(() -> JobState.failureReason(job));
        }
        failure.filter(TrainerResult::invalidSpec).ifPresent(r ->
            invalidFromRun = r.field() == null ? "trainer rejected the spec: " + r.reason() : "spec." + r.field() + ": " + r.reason());
        record.setPhase(RunPhase.Failed);
        record.setReason(reason);
        record.setDecision("NotRun");
        var message = "run " + record.getName() + " failed: " + reason;
        announcements.add(() -> {
          events.warning(fp, Reason.RunFailed, message);
          metrics.trainingRun(namespace, name, false, duration);
        });
        return;
      }
      var result = success.get();
      var metric = PromotionGate.metricOf(fp.getSpec());
      record.setMlflowRunId(result.mlflowRunId());
      record.setModelVersion(result.modelVersion());
      var values = new LinkedHashMap<String, String>();
      if (result.value() != null) {
        values.put(metric.name(), PromotionGate.format(result.value()));
      }
      if (result.championMetric() != null) {
        values.put("champion." + metric.name(), PromotionGate.format(result.championMetric()));
      }
      values.putAll(result.metrics());
      record.setMetrics(values.isEmpty() ? null : values);
      var verdict = gate.evaluate(fp.getSpec(), result);
      var version = result.modelVersion();
      var model = fp.getSpec().getMlflow().getRegisteredModel();
      if (!verdict.passed()) {
        record.setDecision(Reason.GateFailed.name());
        record.setReason(verdict.message());
        addPromotion(decision(version, status.getProductionVersion(), status.getProductionVersion(), Reason.GateFailed.name()));
        announcements.add(() -> {
          events.warning(fp, Reason.GateFailed, model + " version " + version + " from run " + record.getName()
              + " stays in Staging: " + verdict.message());
          metrics.gateFailure(namespace, name, verdict.gate());
        });
      } else if (mode() == PromotionMode.Automatic) {
        var from = productionVersion();
        var promotion = promoter.move(fp, registry(), version, from, Promoter.AUTOMATIC);
        status.setProductionVersion(version);
        addPromotion(promotion);
        record.setDecision(Reason.Promoted.name());
        record.setReason(verdict.message());
        announcements.add(() -> {
          events.normal(fp, Reason.GatePassed, model + " version " + version + ": " + verdict.message());
          promoter.announce(fp, promotion, Promoter.AUTOMATIC, verdict.message());
        });
      } else {
        record.setDecision(Reason.AwaitingApproval.name());
        record.setReason(verdict.message() + "; annotate " + Annotations.PROMOTE + "=" + version + " to promote");
        addPromotion(decision(version, status.getProductionVersion(), null, Reason.AwaitingApproval.name()));
        announcements.add(() -> {
          events.normal(fp, Reason.GatePassed, model + " version " + version + ": " + verdict.message());
          events.normal(fp, Reason.AwaitingApproval, model + " version " + version + " waits in Staging for "
              + Annotations.PROMOTE + "=" + version);
        });
      }
      record.setPhase(RunPhase.Succeeded);
      status.setLastSuccessfulTime(completion);
      var summary = "run " + record.getName() + " registered " + model + " version " + version
          + (result.value() == null ? "" : " (" + metric + " " + PromotionGate.format(result.value()) + ")");
      announcements.add(0, () -> {
        events.normal(fp, Reason.RunSucceeded, summary);
        metrics.trainingRun(namespace, name, true, duration);
        metrics.lastSuccessfulTraining(namespace, name, Instant.parse(completion).getEpochSecond());
        if (result.value() != null) {
          metrics.holdoutMetric(namespace, name, metric.name(), version, result.value());
        }
      });
    }

    // ---- verbs ---------------------------------------------------------------------------

    private void applyVerbs() {
      annotation(Annotations.ROLLBACK_TO).ifPresent(v -> move(Annotations.ROLLBACK_TO, v, Promoter.ROLLBACK));
      annotation(Annotations.PROMOTE).ifPresent(v -> move(Annotations.PROMOTE, v, Promoter.MANUAL));
    }

    private void move(String annotation, String version, String kind) {
      handled.add(annotation);
      if (version.equals(status.getProductionVersion())) {
        return;
      }
      var model = fp.getSpec().getMlflow().getRegisteredModel();
      if (registry().version(model, version).isEmpty()) {
        var message = annotation + "=" + version + ": " + model + " has no version " + version;
        lastPromotionFailure = message;
        addPromotion(decision(version, status.getProductionVersion(), status.getProductionVersion(), Reason.PromotionFailed.name()));
        announcements.add(() -> events.warning(fp, Reason.PromotionFailed, message));
        return;
      }
      var from = productionVersion();
      var promotion = promoter.move(fp, registry(), version, from, kind);
      status.setProductionVersion(version);
      addPromotion(promotion);
      if (Promoter.MANUAL.equals(kind)) {
        runs.stream().filter(r -> version.equals(r.getModelVersion()) && Reason.AwaitingApproval.name().equals(r.getDecision()))
            .forEach(r -> r.setDecision(Reason.Promoted.name()));
      }
      announcements.add(() -> promoter.announce(fp, promotion, kind, "requested by " + annotation));
    }

    // ---- schedule ------------------------------------------------------------------------

    private Optional<Duration> scheduleRuns() {
      var due = dueRun();
      if (due != null) {
        var active = runs.stream().filter(Pass::active).toList();
        if (!active.isEmpty()) {
          var policy = Optional.ofNullable(fp.getSpec().getConcurrencyPolicy()).orElse(ConcurrencyPolicy.Forbid);
          var activeNames = String.join(", ", active.stream().map(RunRecord::getName).toList());
          switch (policy) {
            case Forbid -> {
              waiting = due.trigger() + " run due at " + due.scheduledTime() + " waits for " + activeNames
                  + " (concurrencyPolicy Forbid)";
              specRunDeferred = "SpecChange".equals(due.trigger());
              var message = waiting;
              announcements.add(() -> events.normal(fp, Reason.RunSkipped, message));
              due = null;
            }
            case Replace -> {
              for (var run : active) {
                deleteRunObjects(run.getName());
                run.setPhase(RunPhase.Failed);
                run.setCompletionTime(now.toString());
                run.setReason("replaced by run " + due.name() + " (concurrencyPolicy Replace)");
                run.setDecision("NotRun");
              }
              var message = "replaced " + activeNames + " by " + due.name();
              announcements.add(() -> events.normal(fp, Reason.RunSkipped, message));
            }
            case Allow -> { }
          }
        }
        if (due != null) {
          launch(due);
        }
      }
      if (schedule.isEmpty() || suspended()) {
        status.setNextScheduleTime(null);
        return Optional.empty();
      }
      var next = schedule.get().next(now);
      status.setNextScheduleTime(next.map(Instant::toString).orElse(null));
      return next.map(t -> Duration.between(Instant.now(clock), t)).map(d -> d.isNegative() ? Duration.ofSeconds(1) : d);
    }

    private DueRun dueRun() {
      var runNow = annotation(Annotations.RUN_NOW);
      if (runNow.isPresent()) {
        var runName = RunNames.runNow(fp, runNow.get());
        if (find(runName).isPresent() || jobs.containsKey(runName)) {
          handled.add(Annotations.RUN_NOW);
        } else {
          return new DueRun("RunNow", runName, now);
        }
      }
      if (suspended()) {
        return null;
      }
      if (schedule.isPresent()) {
        var reference = parse(status.getLastScheduleTime()).or(() -> parse(fp.getMetadata().getCreationTimestamp())).orElse(now);
        var due = schedule.get().due(reference, now);
        if (due.latest().isEmpty()) {
          return null;
        }
        var at = due.latest().get();
        var deadline = fp.getSpec().getStartingDeadlineSeconds();
        if (deadline != null && Duration.between(at, now).getSeconds() > deadline) {
          recordMissed(at, due.count(), deadline);
          return null;
        }
        if (due.count() > 1) {
          var message = (due.count() - 1) + " older scheduled run(s) since " + reference + " were skipped; running the one due at " + at;
          announcements.add(() -> events.warning(fp, Reason.MissedSchedule, message));
        }
        return new DueRun("Schedule", RunNames.scheduled(fp, at), at);
      }
      long generation = Optional.ofNullable(fp.getMetadata().getGeneration()).orElse(1L);
      var observed = status.getObservedGeneration();
      var runName = RunNames.specChange(fp, generation);
      if ((observed != null && observed >= generation) || find(runName).isPresent() || jobs.containsKey(runName)) {
        return null;
      }
      return new DueRun("SpecChange", runName, now);
    }

    private void recordMissed(Instant at, int count, long deadline) {
      var record = new RunRecord();
      record.setName(RunNames.scheduled(fp, at));
      record.setTrigger("Schedule");
      record.setScheduledTime(at.toString());
      record.setPhase(RunPhase.Skipped);
      record.setDecision("NotRun");
      record.setReason(count + " scheduled run(s) missed, the newest due at " + at + " is more than "
          + deadline + "s late (startingDeadlineSeconds)");
      runs.add(0, record);
      status.setLastScheduleTime(at.toString());
      var message = record.getReason();
      announcements.add(() -> events.warning(fp, Reason.MissedSchedule, message));
    }

    private void launch(DueRun due) {
      var cm = RunObjects.specConfigMap(fp, due.name(), due.trigger(), due.scheduledTime());
      var job = RunObjects.job(fp, due.name(), due.trigger(), due.scheduledTime(), settings.trainerImage(),
          settings.trainerServiceAccount());
      createOnce(cm);
      createOnce(job);
      var record = new RunRecord();
      record.setName(due.name());
      record.setJob(due.name());
      record.setTrigger(due.trigger());
      record.setScheduledTime(due.scheduledTime().toString());
      record.setPhase(RunPhase.Pending);
      runs.add(0, record);
      var last = parse(status.getLastScheduleTime());
      if (last.isEmpty() || due.scheduledTime().isAfter(last.get())) {
        status.setLastScheduleTime(due.scheduledTime().toString());
      }
      if ("RunNow".equals(due.trigger())) {
        handled.add(Annotations.RUN_NOW);
      }
      var message = "started run " + due.name() + " (" + due.trigger() + ", due " + due.scheduledTime() + ")";
      LOG.info("{}/{}: {}", namespace, name, message);
      announcements.add(() -> events.normal(fp, Reason.RunStarted, message));
    }

    /** Run objects are immutable: create, and a 409 means a previous operator already did. */
    private void createOnce(HasMetadata object) {
      try {
        client.resource(object).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        LOG.info("{}/{}: {} {} already exists, adopting it", namespace, name, object.getKind(), object.getMetadata().getName());
      }
    }

    private void deleteRunObjects(String run) {
      client.batch().v1().jobs().inNamespace(namespace).withName(run)
          .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
      client.configMaps().inNamespace(namespace).withName(run).delete();
    }

    // ---- history -------------------------------------------------------------------------

    private void pruneHistory() {
      runs.sort(Comparator.comparing((RunRecord r) -> parse(r.getScheduledTime()).orElse(Instant.EPOCH)).reversed());
      int keepSucceeded = Optional.ofNullable(fp.getSpec().getSuccessfulRunsHistoryLimit()).orElse(3);
      int keepFailed = Optional.ofNullable(fp.getSpec().getFailedRunsHistoryLimit()).orElse(3);
      int succeeded = 0;
      int failed = 0;
      var kept = new ArrayList<RunRecord>();
      for (var run : runs) {
        boolean keep;
        if (active(run)) {
          keep = true;
        } else if (run.getPhase() == RunPhase.Succeeded) {
          keep = succeeded++ < keepSucceeded;
        } else {
          keep = failed++ < keepFailed;
        }
        if (keep) {
          kept.add(run);
        } else if (run.getPhase() != RunPhase.Skipped) {
          deleteRunObjects(run.getName());
        }
      }
      var names = kept.stream().map(RunRecord::getName).toList();
      jobs.keySet().stream().filter(Predicate.not(names::contains)).forEach(this::deleteRunObjects);
      runs.clear();
      runs.addAll(kept);
    }

    // ---- conditions ----------------------------------------------------------------------

    private void setConditions() {
      var gen = fp.getMetadata().getGeneration();
      var c = status.getConditions();
      var latestFinished = runs.stream().filter(r -> !active(r) && r.getPhase() != RunPhase.Skipped).findFirst();
      var active = runs.stream().filter(Pass::active).toList();

      if (invalidFromRun != null) {
        c = Conditions.set(c, ConditionType.READY, false, Reason.InvalidSpec, invalidFromRun, gen, clock);
      } else if (latestFinished.filter(r -> r.getPhase() == RunPhase.Failed).isPresent()) {
        c = Conditions.set(c, ConditionType.READY, false, Reason.RunFailed,
            "latest run " + latestFinished.get().getName() + " failed: " + latestFinished.get().getReason(), gen, clock);
      } else {
        c = Conditions.set(c, ConditionType.READY, true, Reason.Reconciled, "pipeline reconciled", gen, clock);
      }

      if (suspended()) {
        c = Conditions.set(c, ConditionType.SCHEDULED, false, Reason.Suspended, "spec.suspend is true: no new runs", gen, clock);
      } else if (waiting != null) {
        c = Conditions.set(c, ConditionType.SCHEDULED, true, Reason.Scheduled, waiting, gen, clock);
      } else if (schedule.isPresent()) {
        c = Conditions.set(c, ConditionType.SCHEDULED, true, Reason.Scheduled, "schedule '" + schedule.get().expression()
            + "' (" + Optional.ofNullable(fp.getSpec().getTimeZone()).orElse("Etc/UTC") + "), next run at "
            + status.getNextScheduleTime(), gen, clock);
      } else {
        c = Conditions.set(c, ConditionType.SCHEDULED, true, Reason.Scheduled, "no schedule: one run per spec generation", gen, clock);
      }

      if (!active.isEmpty()) {
        c = Conditions.set(c, ConditionType.TRAINING, true, Reason.RunStarted,
            "running: " + String.join(", ", active.stream().map(RunRecord::getName).toList()), gen, clock);
      } else if (latestFinished.isPresent()) {
        var r = latestFinished.get();
        var ok = r.getPhase() == RunPhase.Succeeded;
        c = Conditions.set(c, ConditionType.TRAINING, false, ok ? Reason.RunSucceeded : Reason.RunFailed,
            "run " + r.getName() + (ok ? " succeeded" : " failed: " + r.getReason()), gen, clock);
      } else {
        c = Conditions.set(c, ConditionType.TRAINING, false, Reason.Reconciled, "no run yet", gen, clock);
      }

      var latestValidated = runs.stream().filter(r -> r.getPhase() == RunPhase.Succeeded).findFirst();
      if (latestValidated.isPresent()) {
        var r = latestValidated.get();
        var failedGate = Reason.GateFailed.name().equals(r.getDecision());
        c = Conditions.set(c, ConditionType.VALIDATED, !failedGate, failedGate ? Reason.GateFailed : Reason.GatePassed,
            "version " + r.getModelVersion() + ": " + r.getReason(), gen, clock);
      } else if (Conditions.find(c, ConditionType.VALIDATED).isEmpty()) {
        c = Conditions.set(c, ConditionType.VALIDATED, "Unknown", Reason.Reconciled, "no validated run yet", gen, clock);
      }

      var latestDecision = Optional.ofNullable(status.getPromotions()).flatMap(p -> p.stream().findFirst());
      if (latestDecision.isPresent()) {
        var d = latestDecision.get();
        var production = status.getProductionVersion() == null ? "none" : status.getProductionVersion();
        c = switch (d.getReason()) {
          case "Promoted", "ManualPromotion" -> Conditions.set(c, ConditionType.PROMOTED, true, Reason.Promoted,
              "version " + d.getVersion() + " is production (alias " + Promoter.alias(fp) + ")", gen, clock);
          case "RolledBack" -> Conditions.set(c, ConditionType.PROMOTED, true, Reason.RolledBack,
              "rolled back to version " + d.getVersion() + " (alias " + Promoter.alias(fp) + ")", gen, clock);
          case "AwaitingApproval" -> Conditions.set(c, ConditionType.PROMOTED, false, Reason.AwaitingApproval,
              "version " + d.getVersion() + " waits for " + Annotations.PROMOTE + "=" + d.getVersion()
              + "; production is " + production, gen, clock);
          case "PromotionFailed" -> Conditions.set(c, ConditionType.PROMOTED, false, Reason.PromotionFailed,
              lastPromotionFailure != null ? lastPromotionFailure : "promotion of version " + d.getVersion() + " failed; production is " + production, gen, clock);
          default -> Conditions.set(c, ConditionType.PROMOTED, false, Reason.GateFailed,
              "version " + d.getVersion() + " failed its gates; production stays " + production, gen, clock);
        };
      } else if (Conditions.find(c, ConditionType.PROMOTED).isEmpty()) {
        c = Conditions.set(c, ConditionType.PROMOTED, "Unknown", Reason.Reconciled, "nothing promoted yet", gen, clock);
      }
      status.setConditions(c);
    }

    // ---- small things --------------------------------------------------------------------

    private int consecutiveGateFailures() {
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

    private ModelRegistryPort registry() {
      if (registry == null) {
        registry = registries.forSpec(namespace, fp.getSpec().getMlflow());
      }
      return registry;
    }

    private String productionVersion() {
      if (status.getProductionVersion() != null) {
        return status.getProductionVersion();
      }
      var model = fp.getSpec().getMlflow().getRegisteredModel();
      return registry().byAlias(model, Promoter.alias(fp)).map(ModelRegistryPort.VersionInfo::version).orElse(null);
    }

    private PromotionMode mode() {
      var p = fp.getSpec().getPromotion();
      return p == null || p.getMode() == null ? PromotionMode.Automatic : p.getMode();
    }

    private boolean suspended() {
      return Boolean.TRUE.equals(fp.getSpec().getSuspend());
    }

    private Optional<String> annotation(String key) {
      var annotations = fp.getMetadata().getAnnotations();
      return Optional.ofNullable(annotations == null ? null : annotations.get(key)).map(String::trim).filter(s -> !s.isEmpty());
    }

    private Optional<RunRecord> find(String runName) {
      return runs.stream().filter(r -> runName.equals(r.getName())).findFirst();
    }

    private PromotionRecord decision(String version, String from, String to, String reason) {
      var record = new PromotionRecord();
      record.setVersion(version);
      record.setFrom(from);
      record.setTo(to);
      record.setTime(now.toString());
      record.setReason(reason);
      return record;
    }

    private void addPromotion(PromotionRecord record) {
      var list = new ArrayList<PromotionRecord>();
      list.add(record);
      if (status.getPromotions() != null) {
        list.addAll(status.getPromotions());
      }
      status.setPromotions(List.copyOf(list.subList(0, Math.min(list.size(), settings.promotionsHistory()))));
    }

    private static boolean active(RunRecord r) {
      return r.getPhase() == RunPhase.Pending || r.getPhase() == RunPhase.Running;
    }
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

  private static Duration duration(String start, String end) {
    var s = parse(start);
    var e = parse(end);
    return s.isPresent() && e.isPresent() ? Duration.between(s.get(), e.get()) : null;
  }

  /** Visible for the reconciler: true when the two statuses serialize the same. */
  static boolean same(ForecastPipelineStatus a, ForecastPipelineStatus b) {
    return Objects.equals(SERIALIZATION.asJson(a == null ? new ForecastPipelineStatus() : a),
        SERIALIZATION.asJson(b == null ? new ForecastPipelineStatus() : b));
  }
}
