package dev.almanac.operator.pipeline;

import static dev.almanac.operator.pipeline.Passes.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.api.v1alpha1.pipeline.RunPhase;
import dev.almanac.api.v1alpha1.pipeline.RunRecord;
import dev.almanac.api.v1alpha1.pipeline.RunTrigger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link PruneHistory} alone: limits per outcome, active runs kept, objects deleted through the
 * store.
 */
class PruneHistoryTest {
  private final Passes.RecordingStore store = new Passes.RecordingStore();
  private final PruneHistory step = new PruneHistory(store);

  private static RunRecord run(String name, RunPhase phase, int hoursAgo) {
    return Passes.run(name, phase, NOW.minus(Duration.ofHours(hoursAgo)));
  }

  @Test
  void keepsTheNewestPerOutcomeAndDeletesTheRest() {
    var fp =
        Passes.pipeline(
            s -> {
              s.setSuccessfulRunsHistoryLimit(1);
              s.setFailedRunsHistoryLimit(1);
            });
    var state =
        Passes.state(
            run("ok-old", RunPhase.Succeeded, 5),
            run("failed-old", RunPhase.Failed, 4),
            run("ok-new", RunPhase.Succeeded, 3),
            run("skipped-1", RunPhase.Skipped, 2),
            run("skipped-2", RunPhase.Skipped, 6),
            run("failed-new", RunPhase.Failed, 1),
            run("active", RunPhase.Running, 7));
    var jobs =
        List.of(
            Passes.job("ok-old", JobState.SUCCEEDED, RunTrigger.Schedule),
            Passes.job("stray", JobState.SUCCEEDED, RunTrigger.Schedule));

    var result = step.apply(Passes.context(fp, jobs, new FakeRegistry()), state);

    assertThat(result.state().runs())
        .extracting(RunRecord::getName)
        .containsExactly("failed-new", "skipped-1", "ok-new", "active");
    // skipped runs have no objects; a Job no kept run names goes too
    assertThat(store.deleted).containsOnly("failed-old", "ok-old", "stray");
  }

  @Test
  void defaultsKeepThreeOfEach() {
    var fp =
        Passes.pipeline(
            s -> {
              s.setSuccessfulRunsHistoryLimit(null);
              s.setFailedRunsHistoryLimit(null);
            });
    var state =
        Passes.state(
            run("a", RunPhase.Succeeded, 1),
            run("b", RunPhase.Succeeded, 2),
            run("c", RunPhase.Succeeded, 3),
            run("d", RunPhase.Succeeded, 4));
    var result = step.apply(Passes.context(fp), state);
    assertThat(result.state().runs()).extracting(RunRecord::getName).containsExactly("a", "b", "c");
    assertThat(store.deleted).containsExactly("d");
  }
}
