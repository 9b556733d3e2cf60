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
 * failed limit, counted apart from failed runs) and has the {@link RunObjectStore} delete the
 * objects of runs that fall out, and of owned Jobs no kept run names.
 */
final class PruneHistory implements PipelineStep {
  private final RunObjectStore store;

  PruneHistory(RunObjectStore store) {
    this.store = store;
  }

  @Override
  public Result apply(PipelineContext context, PassState state) {
    var spec = context.spec();
    var runs = new ArrayList<>(state.runs());
    runs.sort(
        Comparator.comparing(
                (RunRecord r) -> Timestamps.parse(r.getScheduledTime()).orElse(Instant.EPOCH))
            .reversed());
    int keepSucceeded = Optional.ofNullable(spec.getSuccessfulRunsHistoryLimit()).orElse(3);
    int keepFailed = Optional.ofNullable(spec.getFailedRunsHistoryLimit()).orElse(3);
    int succeeded = 0;
    int failed = 0;
    int skipped = 0;
    var kept = new ArrayList<RunRecord>();
    for (var run : runs) {
      boolean keep;
      if (PassState.active(run)) {
        keep = true;
      } else if (run.getPhase() == RunPhase.Succeeded) {
        keep = succeeded++ < keepSucceeded;
      } else if (run.getPhase() == RunPhase.Skipped) {
        // counted apart: a row of missed schedules must not push out a failed run and delete its
        // Job's logs
        keep = skipped++ < keepFailed;
      } else {
        keep = failed++ < keepFailed;
      }
      if (keep) {
        kept.add(run);
      } else if (run.getPhase() != RunPhase.Skipped) {
        store.delete(context.namespace(), run.getName());
      }
    }
    // a sharded run's merge Job belongs to its record (record.job), like the run's own Job
    var names = new java.util.HashSet<String>();
    kept.forEach(
        r -> {
          names.add(r.getName());
          if (r.getJob() != null) {
            names.add(r.getJob());
          }
        });
    context.jobs().keySet().stream()
        .filter(Predicate.not(names::contains))
        .forEach(job -> store.delete(context.namespace(), job));
    return Result.proceed(state.toBuilder().runs(kept).build());
  }
}
