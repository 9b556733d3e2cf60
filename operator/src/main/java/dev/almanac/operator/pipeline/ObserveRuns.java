package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.common.Reason;
import dev.almanac.api.v1alpha1.pipeline.RunDecision;
import dev.almanac.api.v1alpha1.pipeline.RunPhase;
import dev.almanac.api.v1alpha1.pipeline.RunRecord;
import dev.almanac.api.v1alpha1.pipeline.RunTrigger;
import dev.almanac.operator.Annotations;
import dev.almanac.operator.events.EventRecorder;
import dev.almanac.operator.metrics.AlmanacMetrics;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the pipeline's Jobs into its run records: adopts Jobs the status does not know, follows
 * active runs, and finishes a run whose Job ended with what its trainer reported. Reads only: a run
 * that registered a version is handed to {@link DecidePromotions} as a {@link
 * PassState.TrainedRun}; the trainer's verdict that the spec is invalid becomes a finding for the
 * Ready condition.
 */
final class ObserveRuns implements PipelineStep {
  private static final Logger LOG = LoggerFactory.getLogger(ObserveRuns.class);

  private final RunReader reader;
  private final EventRecorder events;
  private final AlmanacMetrics metrics;

  ObserveRuns(RunReader reader, EventRecorder events, AlmanacMetrics metrics) {
    this.reader = reader;
    this.events = events;
    this.metrics = metrics;
  }

  @Override
  public Result apply(PipelineContext context, PassState state) {
    var next = state.toBuilder();
    adoptUnknownJobs(context, state, next);
    for (var record : next.runs()) {
      if (PassState.active(record)) {
        follow(context, next, record);
      }
    }
    return Result.proceed(next.build());
  }

  private void adoptUnknownJobs(PipelineContext context, PassState state, PassState.Builder next) {
    for (var job : context.jobs().values()) {
      var jobName = job.getMetadata().getName();
      var mergeOf =
          job.getMetadata().getAnnotations() == null
              ? null
              : job.getMetadata().getAnnotations().get(RunObjects.MERGE_OF);
      if (mergeOf != null) {
        continue; // the merge step of a sharded run, followed through that run's record
      }
      if (state.find(jobName).isEmpty()) {
        var record = new RunRecord();
        record.setName(jobName);
        record.setJob(jobName);
        var annotations =
            job.getMetadata().getAnnotations() == null
                ? Map.<String, String>of()
                : job.getMetadata().getAnnotations();
        record.setTrigger(
            RunTrigger.fromAnnotation(annotations.get(RunObjects.TRIGGER))
                .orElse(RunTrigger.Schedule));
        record.setScheduledTime(
            annotations.getOrDefault(
                Annotations.SCHEDULED_TIME, job.getMetadata().getCreationTimestamp()));
        record.setPhase(RunPhase.Running);
        next.addRun(record);
        LOG.info("{}/{}: adopted existing Job {}", context.namespace(), context.name(), jobName);
      }
    }
  }

  private void follow(PipelineContext context, PassState.Builder next, RunRecord active) {
    // the informer may not have seen a Job created by the previous pass yet: ask the server
    var job = context.jobs().get(active.getJob());
    if (job == null) {
      job = reader.job(context.namespace(), active.getJob()).orElse(null);
    }
    var record = next.edit(active);
    if (job == null) {
      record.setPhase(RunPhase.Failed);
      record.setCompletionTime(context.now().toString());
      record.setReason("Job " + record.getJob() + " was deleted before it finished");
      // the same outcome as any other failed run: no version, counted as a failed training run
      record.setDecision(RunDecision.NotRun);
      var message = "run " + record.getName() + " failed: " + record.getReason();
      next.announce(
          () -> {
            events.warning(context.fp(), Reason.RunFailed, message);
            metrics.trainingRun(context.namespace(), context.name(), false, null);
          });
      return;
    }
    var js = job.getStatus();
    if (js != null && js.getStartTime() != null) {
      record.setStartTime(js.getStartTime());
    }
    var state = JobState.of(job);
    if (state == JobState.RUNNING) {
      record.setPhase(
          js != null && js.getStartTime() != null ? RunPhase.Running : RunPhase.Pending);
    } else {
      finish(context, next, record, job, state == JobState.SUCCEEDED);
    }
  }

  private void finish(
      PipelineContext context,
      PassState.Builder next,
      RunRecord record,
      Job job,
      boolean jobSucceeded) {
    var fp = context.fp();
    var namespace = context.namespace();
    var name = context.name();
    var completion = JobState.completionTime(job).orElse(context.now().toString());
    record.setCompletionTime(completion);
    var duration = duration(record.getStartTime(), completion);
    var reports = reader.reports(namespace, record.getName());
    var success =
        reports.results().stream()
            .filter(r -> r.succeeded() && r.modelVersion() != null)
            .findFirst();
    if (jobSucceeded
        && success.isEmpty()
        && record.getName().equals(record.getJob())
        && reports.results().stream().anyMatch(TrainerResult::partial)) {
      // every shard of the Indexed Job left its partial bundle: the merge step registers the
      // version
      record.setCompletionTime(null);
      record.setPhase(RunPhase.Running);
      next.mergeDue(record.getName());
      return;
    }
    var skipped = reports.results().stream().filter(TrainerResult::skipped).findFirst();
    if (jobSucceeded && success.isEmpty() && skipped.isPresent()) {
      skip(context, next, record, skipped.get());
      return;
    }
    if (!jobSucceeded || success.isEmpty()) {
      var failure =
          reports.results().stream().filter(r -> !r.succeeded() && !r.partial()).findFirst();
      String reason;
      if (failure.isPresent() && failure.get().reason() != null) {
        reason = failure.get().reason();
      } else if (jobSucceeded) {
        reason =
            "the trainer finished without reporting a registered version"
                + reports.podReason().map(r -> " (" + r + ")").orElse("");
      } else {
        reason = reports.podReason().orElseGet(() -> JobState.failureReason(job));
      }
      failure
          .filter(TrainerResult::invalidSpec)
          .ifPresent(
              r ->
                  next.specRejectedByTrainer(
                      r.field() == null
                          ? "trainer rejected the spec: " + r.reason()
                          : "spec." + r.field() + ": " + r.reason()));
      record.setPhase(RunPhase.Failed);
      record.setReason(reason);
      record.setDecision(RunDecision.NotRun);
      var message = "run " + record.getName() + " failed: " + reason;
      next.announce(
          () -> {
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
    record.setPhase(RunPhase.Succeeded);
    next.lastSuccessfulTime(completion);
    next.trained(new PassState.TrainedRun(record.getName(), result));
    var version = result.modelVersion();
    var summary =
        "run "
            + record.getName()
            + " registered "
            + context.registeredModel()
            + " version "
            + version
            + (result.value() == null
                ? ""
                : " (" + metric + " " + PromotionGate.format(result.value()) + ")");
    next.announce(
        () -> {
          events.normal(fp, Reason.RunSucceeded, summary);
          metrics.trainingRun(namespace, name, true, duration);
          metrics.lastSuccessfulTraining(
              namespace, name, Instant.parse(completion).getEpochSecond());
          if (result.value() != null) {
            metrics.holdoutMetric(namespace, name, metric.name(), version, result.value());
          }
          if (result.metrics() != null) {
            metrics.realizedAccuracy(
                namespace, name, result.metrics()); // earlier versions scored by this run
          }
        });
  }

  /** A scheduled run that found nothing new since production: no version, no failure. */
  private void skip(
      PipelineContext context, PassState.Builder next, RunRecord record, TrainerResult result) {
    var reason =
        result.reason() == null ? "nothing changed since the production version" : result.reason();
    record.setPhase(RunPhase.Skipped);
    record.setDecision(RunDecision.NotRun);
    record.setReason(reason);
    var message = "run " + record.getName() + " skipped: " + reason;
    LOG.info("{}/{}: {}", context.namespace(), context.name(), message);
    next.announce(() -> events.normal(context.fp(), Reason.RunSkipped, message));
  }

  private static Duration duration(String start, String end) {
    var s = Timestamps.parse(start);
    var e = Timestamps.parse(end);
    return s.isPresent() && e.isPresent() ? Duration.between(s.get(), e.get()) : null;
  }
}
