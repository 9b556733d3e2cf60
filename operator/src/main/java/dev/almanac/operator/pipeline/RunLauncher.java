package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.common.Reason;
import dev.almanac.api.v1alpha1.pipeline.ConcurrencyPolicy;
import dev.almanac.api.v1alpha1.pipeline.RunPhase;
import dev.almanac.api.v1alpha1.pipeline.RunRecord;
import dev.almanac.operator.Annotations;
import dev.almanac.operator.events.EventRecorder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the run that is due, with CronJob semantics: a {@code run-now} annotation, else the latest
 * missed schedule time (or a missed-run record past {@code startingDeadlineSeconds}), else one run per
 * spec generation when there is no schedule; {@code concurrencyPolicy} decides about active runs.
 * Owns the run objects on the cluster: creates a run's ConfigMap and Job once, deletes them.
 */
final class RunLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(RunLauncher.class);

  private final KubernetesClient client;
  private final EventRecorder events;
  private final PipelineSettings settings;
  private final Clock clock;

  private record DueRun(String trigger, String name, Instant scheduledTime) {}

  RunLauncher(KubernetesClient client, EventRecorder events, PipelineSettings settings, Clock clock) {
    this.client = client;
    this.events = events;
    this.settings = settings;
    this.clock = clock;
  }

  /** Starts what is due and sets the next schedule time; returns when to look again. */
  Optional<Duration> scheduleRuns(PipelinePass pass) {
    var fp = pass.fp;
    var now = pass.now;
    var due = dueRun(pass);
    if (due != null) {
      var active = pass.activeRuns();
      if (!active.isEmpty()) {
        var policy = Optional.ofNullable(fp.getSpec().getConcurrencyPolicy()).orElse(ConcurrencyPolicy.Forbid);
        var activeNames = String.join(", ", active.stream().map(RunRecord::getName).toList());
        switch (policy) {
          case Forbid -> {
            pass.waiting = due.trigger() + " run due at " + due.scheduledTime() + " waits for " + activeNames
                + " (concurrencyPolicy Forbid)";
            pass.specRunDeferred = "SpecChange".equals(due.trigger());
            var message = pass.waiting;
            pass.announcements.add(() -> events.normal(fp, Reason.RunSkipped, message));
            due = null;
          }
          case Replace -> {
            for (var run : active) {
              deleteRunObjects(pass.namespace, run.getName());
              run.setPhase(RunPhase.Failed);
              run.setCompletionTime(now.toString());
              run.setReason("replaced by run " + due.name() + " (concurrencyPolicy Replace)");
              run.setDecision("NotRun");
            }
            var message = "replaced " + activeNames + " by " + due.name();
            pass.announcements.add(() -> events.normal(fp, Reason.RunSkipped, message));
          }
          case Allow -> { }
        }
      }
      if (due != null) {
        launch(pass, due);
      }
    }
    if (pass.schedule.isEmpty() || pass.suspended()) {
      pass.status.setNextScheduleTime(null);
      return Optional.empty();
    }
    var next = pass.schedule.get().next(now);
    pass.status.setNextScheduleTime(next.map(Instant::toString).orElse(null));
    return next.map(t -> Duration.between(Instant.now(clock), t)).map(d -> d.isNegative() ? Duration.ofSeconds(1) : d);
  }

  /** Deletes a run's Job (with its pods) and ConfigMap. */
  void deleteRunObjects(String namespace, String run) {
    client.batch().v1().jobs().inNamespace(namespace).withName(run)
        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    client.configMaps().inNamespace(namespace).withName(run).delete();
  }

  private DueRun dueRun(PipelinePass pass) {
    var fp = pass.fp;
    var now = pass.now;
    var runNow = pass.annotation(Annotations.RUN_NOW);
    if (runNow.isPresent()) {
      var runName = RunNames.runNow(fp, runNow.get());
      if (pass.find(runName).isPresent() || pass.jobs.containsKey(runName)) {
        pass.handled.add(Annotations.RUN_NOW);
      } else {
        return new DueRun("RunNow", runName, now);
      }
    }
    if (pass.suspended()) {
      return null;
    }
    if (pass.schedule.isPresent()) {
      var reference = PipelineSync.parse(pass.status.getLastScheduleTime())
          .or(() -> PipelineSync.parse(fp.getMetadata().getCreationTimestamp())).orElse(now);
      var due = pass.schedule.get().due(reference, now);
      if (due.latest().isEmpty()) {
        return null;
      }
      var at = due.latest().get();
      var deadline = fp.getSpec().getStartingDeadlineSeconds();
      if (deadline != null && Duration.between(at, now).getSeconds() > deadline) {
        recordMissed(pass, at, due.count(), deadline);
        return null;
      }
      if (due.count() > 1) {
        var message = (due.count() - 1) + " older scheduled run(s) since " + reference + " were skipped; running the one due at " + at;
        pass.announcements.add(() -> events.warning(fp, Reason.MissedSchedule, message));
      }
      return new DueRun("Schedule", RunNames.scheduled(fp, at), at);
    }
    long generation = Optional.ofNullable(fp.getMetadata().getGeneration()).orElse(1L);
    var observed = pass.status.getObservedGeneration();
    var runName = RunNames.specChange(fp, generation);
    if ((observed != null && observed >= generation) || pass.find(runName).isPresent() || pass.jobs.containsKey(runName)) {
      return null;
    }
    return new DueRun("SpecChange", runName, now);
  }

  private void recordMissed(PipelinePass pass, Instant at, int count, long deadline) {
    var record = new RunRecord();
    record.setName(RunNames.scheduled(pass.fp, at));
    record.setTrigger("Schedule");
    record.setScheduledTime(at.toString());
    record.setPhase(RunPhase.Skipped);
    record.setDecision("NotRun");
    record.setReason(count + " scheduled run(s) missed, the newest due at " + at + " is more than "
        + deadline + "s late (startingDeadlineSeconds)");
    pass.runs.add(0, record);
    pass.status.setLastScheduleTime(at.toString());
    var message = record.getReason();
    pass.announcements.add(() -> events.warning(pass.fp, Reason.MissedSchedule, message));
  }

  private void launch(PipelinePass pass, DueRun due) {
    var fp = pass.fp;
    var cm = RunObjects.specConfigMap(fp, due.name(), due.trigger(), due.scheduledTime());
    var job = RunObjects.job(fp, due.name(), due.trigger(), due.scheduledTime(), settings.trainerImage(),
        settings.trainerServiceAccount());
    createOnce(pass, cm);
    createOnce(pass, job);
    var record = new RunRecord();
    record.setName(due.name());
    record.setJob(due.name());
    record.setTrigger(due.trigger());
    record.setScheduledTime(due.scheduledTime().toString());
    record.setPhase(RunPhase.Pending);
    pass.runs.add(0, record);
    var last = PipelineSync.parse(pass.status.getLastScheduleTime());
    if (last.isEmpty() || due.scheduledTime().isAfter(last.get())) {
      pass.status.setLastScheduleTime(due.scheduledTime().toString());
    }
    if ("RunNow".equals(due.trigger())) {
      pass.handled.add(Annotations.RUN_NOW);
    }
    var message = "started run " + due.name() + " (" + due.trigger() + ", due " + due.scheduledTime() + ")";
    LOG.info("{}/{}: {}", pass.namespace, pass.name, message);
    pass.announcements.add(() -> events.normal(fp, Reason.RunStarted, message));
  }

  /** Run objects are immutable: create, and a 409 means a previous operator already did. */
  private void createOnce(PipelinePass pass, HasMetadata object) {
    try {
      client.resource(object).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      LOG.info("{}/{}: {} {} already exists, adopting it", pass.namespace, pass.name, object.getKind(),
          object.getMetadata().getName());
    }
  }
}
