package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.common.Reason;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.operator.Labels;
import dev.almanac.operator.events.EventRecorder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a batch prediction Job that failed (after its pod retries, {@code backoffLimit}) as a
 * Warning Event {@link Reason#BatchPredictionFailed} on the pipeline, with the batch command's own
 * error line (e.g. "PostgreSQL at jdbc:postgresql://db:5432/f rejected the credentials of user
 * 'x'") taken from the pod's termination message (the log tail: the Job uses
 * FallbackToLogsOnError).
 *
 * <p>Batch Jobs are not runs of the pipeline, so they have their own label-selected informer rather
 * than the reconciler's run-Job event source. Failures that happened before this watcher started
 * (an operator restart, or a new leader: with leader election only the leader watches) are not
 * reported again.
 */
public final class BatchPredictionWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchPredictionWatcher.class);
  private static final int MAX_REASON = 600;

  private final KubernetesClient client;
  private final EventRecorder events;
  private final Set<String> namespaces;
  private final Clock clock;
  private volatile Instant startedAt;
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private final List<SharedIndexInformer<Job>> informers = new ArrayList<>();

  /**
   * @param namespaces the watched namespaces; empty means all
   */
  public BatchPredictionWatcher(
      KubernetesClient client, EventRecorder events, Set<String> namespaces, Clock clock) {
    this.client = client;
    this.events = events;
    this.namespaces = namespaces;
    this.clock = clock;
    this.startedAt = clock.instant();
  }

  /** Whether its informers run (with leader election: while this replica leads). */
  public synchronized boolean watching() {
    return !informers.isEmpty();
  }

  /** Starts watching; idempotent, and again after {@link #close()} (leadership regained). */
  public synchronized BatchPredictionWatcher start() {
    if (!informers.isEmpty()) {
      return this;
    }
    startedAt = clock.instant();
    var labels =
        Map.of(
            Labels.MANAGED_BY, Labels.MANAGER, Labels.COMPONENT, BatchPredictionLauncher.COMPONENT);
    var handler =
        new ResourceEventHandler<Job>() {
          @Override
          public void onAdd(Job job) {
            observe(job);
          }

          @Override
          public void onUpdate(Job before, Job job) {
            observe(job);
          }

          @Override
          public void onDelete(Job job, boolean unknownFinalState) {
            reported.remove(job.getMetadata().getUid());
          }
        };
    if (namespaces.isEmpty()) {
      informers.add(
          client.batch().v1().jobs().inAnyNamespace().withLabels(labels).inform(handler, 0));
    } else {
      for (var ns : namespaces) {
        informers.add(
            client.batch().v1().jobs().inNamespace(ns).withLabels(labels).inform(handler, 0));
      }
    }
    return this;
  }

  void observe(Job job) {
    var failed = failedCondition(job);
    if (failed.isEmpty() || !reported.add(job.getMetadata().getUid())) {
      return;
    }
    var when = failed.get().getLastTransitionTime();
    if (when != null && Instant.parse(when).isBefore(startedAt)) {
      return; // reported by the operator that was running then
    }
    var ns = job.getMetadata().getNamespace();
    var pipeline = job.getMetadata().getLabels().get(Labels.PIPELINE);
    try {
      var fp =
          pipeline == null
              ? null
              : client.resources(ForecastPipeline.class).inNamespace(ns).withName(pipeline).get();
      if (fp == null) {
        return;
      }
      var version =
          job.getMetadata().getAnnotations() == null
              ? null
              : job.getMetadata().getAnnotations().get(BatchPredictionLauncher.VERSION);
      events.warning(
          fp,
          Reason.BatchPredictionFailed,
          "batch prediction"
              + (version == null ? "" : " of version " + version)
              + " failed (Job "
              + job.getMetadata().getName()
              + "): "
              + reason(job, failed.get()));
    } catch (KubernetesClientException e) {
      reported.remove(job.getMetadata().getUid()); // try again on the next update or resync
      LOG.warn(
          "cannot report the failed batch Job {}/{}: {}",
          ns,
          job.getMetadata().getName(),
          e.getMessage());
    }
  }

  static Optional<JobCondition> failedCondition(Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }

  /**
   * The batch command's last {@code [error]} line from the newest pod, else the Job condition's
   * reason.
   */
  private String reason(Job job, JobCondition failed) {
    var pods =
        client
            .pods()
            .inNamespace(job.getMetadata().getNamespace())
            .withLabel("job-name", job.getMetadata().getName())
            .list()
            .getItems();
    var fromPod =
        pods.stream()
            .sorted(
                Comparator.comparing(
                        (Pod p) ->
                            p.getMetadata().getCreationTimestamp() == null
                                ? ""
                                : p.getMetadata().getCreationTimestamp())
                    .reversed())
            .flatMap(
                p ->
                    p.getStatus() == null || p.getStatus().getContainerStatuses() == null
                        ? java.util.stream.Stream.empty()
                        : p.getStatus().getContainerStatuses().stream())
            .map(
                cs ->
                    cs.getState() == null || cs.getState().getTerminated() == null
                        ? null
                        : cs.getState().getTerminated().getMessage())
            .filter(m -> m != null && !m.isBlank())
            .map(BatchPredictionWatcher::errorLine)
            .findFirst();
    var text =
        fromPod.orElse(
            failed.getReason() + (failed.getMessage() == null ? "" : ": " + failed.getMessage()));
    return text.length() > MAX_REASON ? text.substring(0, MAX_REASON) : text;
  }

  /**
   * The last "[error] ..." line of a log tail without its tag; the last line when there is none.
   */
  static String errorLine(String message) {
    var lines = message.strip().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (lines[i].startsWith("[error] ")) {
        return lines[i].substring("[error] ".length()).strip();
      }
    }
    return lines[lines.length - 1].strip();
  }

  @Override
  public synchronized void close() {
    informers.forEach(SharedIndexInformer::close);
    informers.clear();
  }
}
