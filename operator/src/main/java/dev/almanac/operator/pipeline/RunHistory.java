package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.pipeline.RunPhase;
import dev.almanac.api.v1alpha1.pipeline.RunRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Keeps the run history within {@code successfulRunsHistoryLimit} / {@code failedRunsHistoryLimit}
 * (newest first, active runs always kept; runs skipped for a missed schedule are kept up to the
 * failed limit, counted apart from failed runs) and deletes the objects of runs that fall out, and of
 * owned Jobs no kept run names.
 */
final class RunHistory {
  private final RunLauncher launcher;

  RunHistory(RunLauncher launcher) {
    this.launcher = launcher;
  }

  void prune(PipelinePass pass) {
    var fp = pass.fp;
    var runs = pass.runs;
    runs.sort(Comparator.comparing((RunRecord r) -> PipelineSync.parse(r.getScheduledTime()).orElse(Instant.EPOCH)).reversed());
    int keepSucceeded = Optional.ofNullable(fp.getSpec().getSuccessfulRunsHistoryLimit()).orElse(3);
    int keepFailed = Optional.ofNullable(fp.getSpec().getFailedRunsHistoryLimit()).orElse(3);
    int succeeded = 0;
    int failed = 0;
    int skipped = 0;
    var kept = new ArrayList<RunRecord>();
    for (var run : runs) {
      boolean keep;
      if (PipelinePass.active(run)) {
        keep = true;
      } else if (run.getPhase() == RunPhase.Succeeded) {
        keep = succeeded++ < keepSucceeded;
      } else if (run.getPhase() == RunPhase.Skipped) {
        // counted apart: a row of missed schedules must not push out a failed run and delete its Job's logs
        keep = skipped++ < keepFailed;
      } else {
        keep = failed++ < keepFailed;
      }
      if (keep) {
        kept.add(run);
      } else if (run.getPhase() != RunPhase.Skipped) {
        launcher.deleteRunObjects(pass.namespace, run.getName());
      }
    }
    var names = kept.stream().map(RunRecord::getName).toList();
    pass.jobs.keySet().stream().filter(Predicate.not(names::contains))
        .forEach(job -> launcher.deleteRunObjects(pass.namespace, job));
    runs.clear();
    runs.addAll(kept);
  }
}
