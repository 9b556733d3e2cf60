package dev.almanac.operator.pipeline;

import static dev.almanac.operator.pipeline.Passes.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.api.v1alpha1.pipeline.ConcurrencyPolicy;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipelineStatus;
import dev.almanac.api.v1alpha1.pipeline.RunDecision;
import dev.almanac.api.v1alpha1.pipeline.RunPhase;
import dev.almanac.api.v1alpha1.pipeline.RunTrigger;
import dev.almanac.operator.events.EventRecorder;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link LaunchDueRun} alone, with a recording run-object store: what is due, what waits, what is
 * replaced.
 */
class LaunchDueRunTest {
  private final Passes.RecordingStore store = new Passes.RecordingStore();
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final LaunchDueRun step =
      new LaunchDueRun(
          store,
          new EventRecorder(null, clock),
          new PipelineSettings("trainer:test", Duration.ofSeconds(5), 10),
          clock);

  @Test
  void anUnscheduledPipelineRunsOnceForItsTrainingSpec() {
    var fp = Passes.pipeline(s -> {});
    var result = step.apply(Passes.context(fp), Passes.state());
    var name = RunNames.specChange(fp, 1);
    assertThat(store.created).containsExactly(name);
    // the trainer pods never start without their NetworkPolicy
    assertThat(store.log)
        .containsExactly("apply " + TrainerNetworkPolicy.name(fp), "create " + name);
    assertThat(result.state().find(name).orElseThrow().getTrigger())
        .isEqualTo(RunTrigger.SpecChange);
    assertThat(result.state().trainingSpecDigest()).isEqualTo(TrainingSpec.digest(fp.getSpec()));
    assertThat(result.state().nextScheduleTime()).isNull();
    assertThat(result.progress().requeueAfter()).isEmpty();
  }

  @Test
  void aNewGenerationWithTheSameTrainingSpecStartsNothing() {
    var fp = Passes.pipeline(s -> s.setSuccessfulRunsHistoryLimit(9));
    fp.getMetadata().setGeneration(2L);
    var status = new ForecastPipelineStatus();
    status.setObservedGeneration(1L);
    status.setTrainingSpecDigest(TrainingSpec.digest(Passes.pipeline(s -> {}).getSpec()));
    step.apply(Passes.context(fp), PassState.of(status));
    assertThat(store.created).isEmpty();

    fp.getSpec().setHorizon(7);
    step.apply(Passes.context(fp), PassState.of(status));
    assertThat(store.created).containsExactly(RunNames.specChange(fp, 2));
  }

  @Test
  void forbidLeavesTheDueRunWaitingAsAFinding() {
    var fp = Passes.pipeline(s -> {});
    var result =
        step.apply(
            Passes.context(fp),
            Passes.state(Passes.run("fp-old", RunPhase.Running, NOW.minusSeconds(60))));
    assertThat(store.created).isEmpty();
    assertThat(result.state().findings().waiting())
        .hasValueSatisfying(w -> assertThat(w).contains("waits for fp-old"));
    assertThat(result.state().findings().specRunDeferred()).isTrue();
    assertThat(result.state().trainingSpecDigest()).as("recorded once the run starts").isNull();
  }

  @Test
  void replaceHasTheStoreDeleteTheActiveRun() {
    var fp = Passes.pipeline(s -> s.setConcurrencyPolicy(ConcurrencyPolicy.Replace));
    var before = Passes.state(Passes.run("fp-old", RunPhase.Running, NOW.minusSeconds(60)));
    var result = step.apply(Passes.context(fp), before);
    assertThat(store.deleted).containsExactly("fp-old");
    assertThat(store.created).containsExactly(RunNames.specChange(fp, 1));
    var replaced = result.state().find("fp-old").orElseThrow();
    assertThat(replaced.getPhase()).isEqualTo(RunPhase.Failed);
    assertThat(replaced.getDecision()).isEqualTo(RunDecision.NotRun);
    assertThat(before.find("fp-old").orElseThrow().getPhase()).isEqualTo(RunPhase.Running);
  }

  @Test
  void aScheduledPipelineAsksToBeLookedAtAtTheNextScheduleTime() {
    var fp = Passes.pipeline(s -> s.setSchedule("30 * * * *"));
    var result = step.apply(Passes.context(fp), Passes.state());
    assertThat(result.state().nextScheduleTime())
        .isEqualTo(NOW.plus(Duration.ofMinutes(30)).toString());
    assertThat(result.progress().requeueAfter()).contains(Duration.ofMinutes(30));
    assertThat(store.created)
        .as("09:30 was due (created 09:00)")
        .containsExactly(RunNames.scheduled(fp, NOW.minus(Duration.ofMinutes(30))));
    assertThat(
            result
                .state()
                .find(RunNames.scheduled(fp, NOW.minus(Duration.ofMinutes(30))))
                .orElseThrow()
                .getTrigger())
        .isEqualTo(RunTrigger.Schedule);
  }

  @Test
  void runNowStartsARunEvenWhenSuspendedAndIsHandled() {
    var fp = Passes.pipeline(s -> s.setSuspend(true));
    fp.getMetadata()
        .setAnnotations(java.util.Map.of(dev.almanac.operator.Annotations.RUN_NOW, "x"));
    var result = step.apply(Passes.context(fp), Passes.state());
    assertThat(store.created).containsExactly(RunNames.runNow(fp, "x"));
    assertThat(result.state().handledAnnotations())
        .containsExactly(dev.almanac.operator.Annotations.RUN_NOW);
    assertThat(List.of(result.state().find(RunNames.runNow(fp, "x")).orElseThrow().getTrigger()))
        .containsExactly(RunTrigger.RunNow);
  }

  @Test
  void anEditThatComesWithRunNowStartsOneRun() {
    var fp = Passes.pipeline(s -> s.setHorizon(7));
    fp.getMetadata().setGeneration(2L);
    fp.getMetadata()
        .setAnnotations(java.util.Map.of(dev.almanac.operator.Annotations.RUN_NOW, "y"));
    var status = new ForecastPipelineStatus();
    status.setObservedGeneration(1L);
    status.setTrainingSpecDigest(TrainingSpec.digest(Passes.pipeline(s -> {}).getSpec()));
    var first = step.apply(Passes.context(fp), PassState.of(status));
    assertThat(store.created).containsExactly(RunNames.runNow(fp, "y"));
    // the run-now run trains the edited spec: the next pass finds nothing left to train
    assertThat(first.state().trainingSpecDigest()).isEqualTo(TrainingSpec.digest(fp.getSpec()));
    fp.getMetadata().setAnnotations(java.util.Map.of());
    var done = first.state().toBuilder();
    done.edit(first.state().find(RunNames.runNow(fp, "y")).orElseThrow())
        .setPhase(RunPhase.Succeeded);
    step.apply(Passes.context(fp), done.build());
    assertThat(store.created).containsExactly(RunNames.runNow(fp, "y"));
  }
}
