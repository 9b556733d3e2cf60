package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.common.Reason;
import dev.almanac.api.v1alpha1.pipeline.PromotionMode;
import dev.almanac.api.v1alpha1.pipeline.RunPhase;
import dev.almanac.api.v1alpha1.pipeline.RunRecord;
import dev.almanac.operator.Annotations;
import dev.almanac.operator.events.EventRecorder;
import dev.almanac.operator.metrics.AlmanacMetrics;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the pipeline's Jobs into its run records: adopts Jobs the status does not know, follows
 * active runs, and finishes a run whose Job ended (trainer result, gate verdict, automatic
 * promotion or a wait for approval). A registry failure propagates before anything is announced.
 */
final class RunObserver {
  private static final Logger LOG = LoggerFactory.getLogger(RunObserver.class);

  private final KubernetesClient client;
  private final TrainerResults results;
  private final PromotionGate gate;
  private final Promoter promoter;
  private final EventRecorder events;
  private final AlmanacMetrics metrics;

  RunObserver(KubernetesClient client, TrainerResults results, PromotionGate gate, Promoter promoter,
      EventRecorder events, AlmanacMetrics metrics) {
    this.client = client;
    this.results = results;
    this.gate = gate;
    this.promoter = promoter;
    this.events = events;
    this.metrics = metrics;
  }

  void observe(PipelinePass pass) {
    adoptUnknownJobs(pass);
    observeRuns(pass);
  }

  private void adoptUnknownJobs(PipelinePass pass) {
    for (var job : pass.jobs.values()) {
      var jobName = job.getMetadata().getName();
      if (pass.find(jobName).isEmpty()) {
        var record = new RunRecord();
        record.setName(jobName);
        record.setJob(jobName);
        var annotations = job.getMetadata().getAnnotations() == null ? Map.<String, String>of() : job.getMetadata().getAnnotations();
        record.setTrigger(annotations.getOrDefault(RunObjects.TRIGGER, "Schedule"));
        record.setScheduledTime(annotations.getOrDefault(Annotations.SCHEDULED_TIME, job.getMetadata().getCreationTimestamp()));
        record.setPhase(RunPhase.Running);
        pass.runs.add(record);
        LOG.info("{}/{}: adopted existing Job {}", pass.namespace, pass.name, jobName);
      }
    }
  }

  private void observeRuns(PipelinePass pass) {
    for (var record : List.copyOf(pass.runs)) {
      if (!PipelinePass.active(record)) {
        continue;
      }
      var job = pass.jobs.get(record.getJob());
      if (job == null) {
        // the informer may not have seen a Job created by the previous reconcile yet: ask the server
        job = client.batch().v1().jobs().inNamespace(pass.namespace).withName(record.getJob()).get();
      }
      if (job == null) {
        record.setPhase(RunPhase.Failed);
        record.setCompletionTime(pass.now.toString());
        record.setReason("Job " + record.getJob() + " was deleted before it finished");
        // the same outcome as any other failed run: no version, counted as a failed training run
        record.setDecision("NotRun");
        var message = "run " + record.getName() + " failed: " + record.getReason();
        pass.announcements.add(() -> {
          events.warning(pass.fp, Reason.RunFailed, message);
          metrics.trainingRun(pass.namespace, pass.name, false, null);
        });
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
        finish(pass, record, job, finished == JobState.SUCCEEDED);
      }
    }
  }

  private void finish(PipelinePass pass, RunRecord record, Job job, boolean jobSucceeded) {
    var fp = pass.fp;
    var status = pass.status;
    var namespace = pass.namespace;
    var name = pass.name;
    var completion = JobState.completionTime(job).orElse(pass.now.toString());
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
          pass.invalidFromRun = r.field() == null ? "trainer rejected the spec: " + r.reason() : "spec." + r.field() + ": " + r.reason());
      record.setPhase(RunPhase.Failed);
      record.setReason(reason);
      record.setDecision("NotRun");
      var message = "run " + record.getName() + " failed: " + reason;
      pass.announcements.add(() -> {
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
    // counted here, not from the run history: that is bounded, and an alert threshold above its limit would never fire
    status.setConsecutiveGateFailures(verdict.passed() ? 0 : status.getConsecutiveGateFailures() + 1);
    if (!verdict.passed()) {
      record.setDecision(Reason.GateFailed.name());
      record.setReason(verdict.message());
      pass.addPromotion(pass.decision(version, status.getProductionVersion(), status.getProductionVersion(),
          Reason.GateFailed.name()));
      pass.announcements.add(() -> {
        events.warning(fp, Reason.GateFailed, model + " version " + version + " from run " + record.getName()
            + " stays in Staging: " + verdict.message());
        metrics.gateFailure(namespace, name, verdict.gate());
      });
    } else if (pass.mode() == PromotionMode.Automatic) {
      var from = pass.productionVersion();
      var promotion = promoter.move(fp, pass.registry(), version, from, Promoter.AUTOMATIC);
      status.setProductionVersion(version);
      pass.addPromotion(promotion);
      record.setDecision(Reason.Promoted.name());
      record.setReason(verdict.message());
      pass.announcements.add(() -> {
        events.normal(fp, Reason.GatePassed, model + " version " + version + ": " + verdict.message());
        promoter.announce(fp, promotion, Promoter.AUTOMATIC, verdict.message());
      });
    } else {
      record.setDecision(Reason.AwaitingApproval.name());
      record.setReason(verdict.message() + "; annotate " + Annotations.PROMOTE + "=" + version + " to promote");
      pass.addPromotion(pass.decision(version, status.getProductionVersion(), null, Reason.AwaitingApproval.name()));
      pass.announcements.add(() -> {
        events.normal(fp, Reason.GatePassed, model + " version " + version + ": " + verdict.message());
        events.normal(fp, Reason.AwaitingApproval, model + " version " + version + " waits in Staging for "
            + Annotations.PROMOTE + "=" + version);
      });
    }
    record.setPhase(RunPhase.Succeeded);
    status.setLastSuccessfulTime(completion);
    var summary = "run " + record.getName() + " registered " + model + " version " + version
        + (result.value() == null ? "" : " (" + metric + " " + PromotionGate.format(result.value()) + ")");
    pass.announcements.add(0, () -> {
      events.normal(fp, Reason.RunSucceeded, summary);
      metrics.trainingRun(namespace, name, true, duration);
      metrics.lastSuccessfulTraining(namespace, name, Instant.parse(completion).getEpochSecond());
      if (result.value() != null) {
        metrics.holdoutMetric(namespace, name, metric.name(), version, result.value());
      }
      if (result.metrics() != null) {
        metrics.realizedAccuracy(namespace, name, result.metrics());   // earlier versions scored by this run
      }
    });
  }

  private static Duration duration(String start, String end) {
    var s = PipelineSync.parse(start);
    var e = PipelineSync.parse(end);
    return s.isPresent() && e.isPresent() ? Duration.between(s.get(), e.get()) : null;
  }
}
