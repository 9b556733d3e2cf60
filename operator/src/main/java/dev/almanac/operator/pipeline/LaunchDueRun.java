package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.common.Reason;
import dev.almanac.api.v1alpha1.pipeline.ConcurrencyPolicy;
import dev.almanac.api.v1alpha1.pipeline.RunDecision;
import dev.almanac.api.v1alpha1.pipeline.RunPhase;
import dev.almanac.api.v1alpha1.pipeline.RunRecord;
import dev.almanac.api.v1alpha1.pipeline.RunTrigger;
import dev.almanac.operator.Annotations;
import dev.almanac.operator.events.EventRecorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the run that is due, with CronJob semantics: a {@code run-now} annotation, else the latest
 * missed schedule time (or a missed-run record past {@code startingDeadlineSeconds}), else, with no
 * schedule, one run whenever the training spec ({@link TrainingSpec}) differs from the one the last
 * spec-change run followed. {@code concurrencyPolicy} decides about active runs. Sets the next
 * schedule time and asks the pass to look again then.
 */
final class LaunchDueRun implements PipelineStep {
  private static final Logger LOG = LoggerFactory.getLogger(LaunchDueRun.class);

  private final RunObjectStore store;
  private final EventRecorder events;
  private final PipelineSettings settings;
  private final Clock clock;

  private record DueRun(RunTrigger trigger, String name, Instant scheduledTime) {}

  LaunchDueRun(RunObjectStore store, EventRecorder events, PipelineSettings settings, Clock clock) {
    this.store = store;
    this.events = events;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public Result apply(PipelineContext context, PassState state) {
    var fp = context.fp();
    var now = context.now();
    var next = state.toBuilder();
    for (var run : state.findings().mergesDue()) {
      launchMerge(context, next, run);
    }
    var due = dueRun(context, state, next);
    if (due != null) {
      var active = state.activeRuns();
      if (!active.isEmpty()) {
        var policy =
            Optional.ofNullable(fp.getSpec().getConcurrencyPolicy())
                .orElse(ConcurrencyPolicy.Forbid);
        var activeNames = String.join(", ", active.stream().map(RunRecord::getName).toList());
        switch (policy) {
          case Forbid -> {
            var message =
                due.trigger()
                    + " run due at "
                    + due.scheduledTime()
                    + " waits for "
                    + activeNames
                    + " (concurrencyPolicy Forbid)";
            next.waiting(message, due.trigger() == RunTrigger.SpecChange);
            next.announce(() -> events.normal(fp, Reason.RunSkipped, message));
            due = null;
          }
          case Replace -> {
            for (var run : active) {
              store.delete(context.namespace(), run.getName());
              var replaced = next.edit(run);
              replaced.setPhase(RunPhase.Failed);
              replaced.setCompletionTime(now.toString());
              replaced.setReason("replaced by run " + due.name() + " (concurrencyPolicy Replace)");
              replaced.setDecision(RunDecision.NotRun);
            }
            var message = "replaced " + activeNames + " by " + due.name();
            next.announce(() -> events.normal(fp, Reason.RunSkipped, message));
          }
          case Allow -> {}
        }
      }
      if (due != null) {
        launch(context, next, due);
      }
    }
    if (context.schedule().isEmpty() || context.suspended()) {
      next.nextScheduleTime(null);
      return Result.proceed(next.build());
    }
    var at = context.schedule().get().next(now);
    next.nextScheduleTime(at.map(Instant::toString).orElse(null));
    var progress =
        at.map(t -> Duration.between(Instant.now(clock), t))
            .map(d -> Progress.requeueAfter(d.isNegative() ? Duration.ofSeconds(1) : d))
            .orElse(Progress.proceed());
    return new Result(progress, next.build());
  }

  private DueRun dueRun(PipelineContext context, PassState state, PassState.Builder next) {
    var fp = context.fp();
    var now = context.now();
    var runNow = context.annotation(Annotations.RUN_NOW);
    if (runNow.isPresent()) {
      var runName = RunNames.runNow(fp, runNow.get());
      if (state.find(runName).isPresent() || context.jobs().containsKey(runName)) {
        next.handled(Annotations.RUN_NOW);
      } else {
        return new DueRun(RunTrigger.RunNow, runName, now);
      }
    }
    if (context.suspended()) {
      return null;
    }
    var digest = TrainingSpec.digest(fp.getSpec());
    if (context.schedule().isPresent()) {
      // the schedule covers spec changes: removing it later must not start a run for edits it
      // covered
      next.trainingSpecDigest(digest);
      return scheduledRun(context, state, next);
    }
    var runName = RunNames.specChange(fp, context.generation());
    if (state.find(runName).isPresent() || context.jobs().containsKey(runName)) {
      next.trainingSpecDigest(digest); // this generation's run exists (adopted after a crash)
      return null;
    }
    var recorded = state.trainingSpecDigest();
    if (recorded == null) {
      // status from before the digest was recorded: a generation already observed had its run
      var observed =
          Optional.ofNullable(fp.getStatus()).map(s -> s.getObservedGeneration()).orElse(null);
      if (observed != null && observed >= context.generation()) {
        next.trainingSpecDigest(digest);
        return null;
      }
    } else if (recorded.equals(digest)) {
      return null; // history limits, suspend, promotion, batch prediction... changed: nothing to
      // train
    }
    return new DueRun(RunTrigger.SpecChange, runName, now);
  }

  private DueRun scheduledRun(PipelineContext context, PassState state, PassState.Builder next) {
    var fp = context.fp();
    var now = context.now();
    var reference =
        Timestamps.parse(state.lastScheduleTime())
            .or(() -> Timestamps.parse(fp.getMetadata().getCreationTimestamp()))
            .orElse(now);
    var due = context.schedule().get().due(reference, now);
    if (due.latest().isEmpty()) {
      return null;
    }
    var at = due.latest().get();
    var deadline = fp.getSpec().getStartingDeadlineSeconds();
    if (deadline != null && Duration.between(at, now).getSeconds() > deadline) {
      recordMissed(context, next, at, due.count(), deadline);
      return null;
    }
    if (due.count() > 1) {
      var message =
          (due.count() - 1)
              + " older scheduled run(s) since "
              + reference
              + " were skipped; running the one due at "
              + at;
      next.announce(() -> events.warning(fp, Reason.MissedSchedule, message));
    }
    return new DueRun(RunTrigger.Schedule, RunNames.scheduled(fp, at), at);
  }

  private void recordMissed(
      PipelineContext context, PassState.Builder next, Instant at, int count, long deadline) {
    var record = new RunRecord();
    record.setName(RunNames.scheduled(context.fp(), at));
    record.setTrigger(RunTrigger.Schedule);
    record.setScheduledTime(at.toString());
    record.setPhase(RunPhase.Skipped);
    record.setDecision(RunDecision.NotRun);
    record.setReason(
        count
            + " scheduled run(s) missed, the newest due at "
            + at
            + " is more than "
            + deadline
            + "s late (startingDeadlineSeconds)");
    next.addRun(0, record).lastScheduleTime(at.toString());
    var message = record.getReason();
    next.announce(() -> events.warning(context.fp(), Reason.MissedSchedule, message));
  }

  /**
   * The merge Job of a sharded run whose shards all finished; the run record follows it from now on
   * (its result is the run's).
   */
  private void launchMerge(PipelineContext context, PassState.Builder next, String run) {
    var fp = context.fp();
    var record =
        next.edit(
            next.runs().stream().filter(r -> r.getName().equals(run)).findFirst().orElseThrow());
    var scheduled = Timestamps.parse(record.getScheduledTime()).orElse(context.now());
    // the run's spec ConfigMap exists already: creating it again is a 409, adopted
    store.create(
        RunObjects.specConfigMap(fp, run, record.getTrigger(), scheduled),
        RunObjects.mergeJob(
            fp,
            run,
            record.getTrigger(),
            scheduled,
            settings.trainerImage(),
            settings.trainerServiceAccount()));
    record.setJob(RunObjects.mergeJobName(run));
    var message =
        "every shard of run " + run + " finished; started its merge Job " + record.getJob();
    LOG.info("{}/{}: {}", context.namespace(), context.name(), message);
    next.announce(() -> events.normal(fp, Reason.RunStarted, message));
  }

  private void launch(PipelineContext context, PassState.Builder next, DueRun due) {
    var fp = context.fp();
    // before the pods: a trainer never runs without its policy
    TrainerNetworkPolicy.sync(store, fp);
    store.create(
        RunObjects.specConfigMap(fp, due.name(), due.trigger(), due.scheduledTime()),
        RunObjects.job(
            fp,
            due.name(),
            due.trigger(),
            due.scheduledTime(),
            settings.trainerImage(),
            settings.trainerServiceAccount()));
    var record = new RunRecord();
    record.setName(due.name());
    record.setJob(due.name());
    record.setTrigger(due.trigger());
    record.setScheduledTime(due.scheduledTime().toString());
    record.setPhase(RunPhase.Pending);
    next.addRun(0, record);
    var last = Timestamps.parse(next.lastScheduleTime());
    if (last.isEmpty() || due.scheduledTime().isAfter(last.get())) {
      next.lastScheduleTime(due.scheduledTime().toString());
    }
    if (due.trigger() == RunTrigger.RunNow) {
      next.handled(Annotations.RUN_NOW);
    }
    if (due.trigger() == RunTrigger.SpecChange || due.trigger() == RunTrigger.RunNow) {
      // a run-now run trains the spec as it is now: an edit that came with the annotation must not
      // start a second, identical run
      next.trainingSpecDigest(TrainingSpec.digest(fp.getSpec()));
    }
    var message =
        "started run " + due.name() + " (" + due.trigger() + ", due " + due.scheduledTime() + ")";
    LOG.info("{}/{}: {}", context.namespace(), context.name(), message);
    next.announce(() -> events.normal(fp, Reason.RunStarted, message));
  }
}
