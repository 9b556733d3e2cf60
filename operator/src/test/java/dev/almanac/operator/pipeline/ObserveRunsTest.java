package dev.almanac.operator.pipeline;

import static dev.almanac.operator.pipeline.Passes.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.api.v1alpha1.pipeline.RunDecision;
import dev.almanac.api.v1alpha1.pipeline.RunPhase;
import dev.almanac.api.v1alpha1.pipeline.RunTrigger;
import dev.almanac.operator.events.EventRecorder;
import dev.almanac.operator.metrics.AlmanacMetrics;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link ObserveRuns} alone: Jobs and trainer reports in, run records and findings out; nothing
 * written.
 */
class ObserveRunsTest {
  private final Map<String, Job> serverJobs = new HashMap<>();
  private final Map<String, RunReader.Reports> reports = new HashMap<>();
  private final ObserveRuns step =
      new ObserveRuns(
          new RunReader() {
            @Override
            public Optional<Job> job(String namespace, String name) {
              return Optional.ofNullable(serverJobs.get(name));
            }

            @Override
            public Reports reports(String namespace, String run) {
              return reports.getOrDefault(run, new Reports(List.of(), Optional.empty()));
            }
          },
          new EventRecorder(null, Clock.fixed(NOW, ZoneOffset.UTC)),
          new AlmanacMetrics(new SimpleMeterRegistry()));

  private static TrainerResult trainer(String message) {
    return TrainerResult.parse(message).orElseThrow();
  }

  @Test
  void aJobTheStatusDoesNotKnowIsAdoptedWithItsTrigger() {
    var fp = Passes.pipeline(s -> {});
    var result =
        step.apply(
            Passes.context(
                fp,
                List.of(Passes.job("fp-now-1", JobState.RUNNING, RunTrigger.RunNow)),
                new FakeRegistry()),
            Passes.state());
    var run = result.state().find("fp-now-1").orElseThrow();
    assertThat(run.getTrigger()).isEqualTo(RunTrigger.RunNow);
    assertThat(run.getPhase()).isEqualTo(RunPhase.Running);
  }

  @Test
  void aSucceededRunIsHandedOnUndecidedAndThePreviousStateIsUntouched() {
    var fp = Passes.pipeline(s -> {});
    var before = Passes.state(Passes.run("fp-1", RunPhase.Running, NOW.minusSeconds(600)));
    reports.put(
        "fp-1",
        new RunReader.Reports(
            List.of(trainer(Pipelines.result("7", 0.4, null, null))), Optional.empty()));
    var result =
        step.apply(
            Passes.context(
                fp,
                List.of(Passes.job("fp-1", JobState.SUCCEEDED, RunTrigger.Schedule)),
                new FakeRegistry()),
            before);

    var run = result.state().find("fp-1").orElseThrow();
    assertThat(run.getPhase()).isEqualTo(RunPhase.Succeeded);
    assertThat(run.getModelVersion()).isEqualTo("7");
    assertThat(run.getMetrics()).containsEntry("MASE", "0.4000");
    assertThat(run.getDecision()).as("the gate verdict is DecidePromotions' job").isNull();
    assertThat(result.state().findings().trained())
        .extracting(PassState.TrainedRun::run)
        .containsExactly("fp-1");
    assertThat(result.state().lastSuccessfulTime()).isEqualTo(NOW.minusSeconds(60).toString());
    assertThat(before.find("fp-1").orElseThrow().getPhase()).isEqualTo(RunPhase.Running);
    assertThat(result.progress().requeueAfter()).isEmpty();
  }

  @Test
  void theTrainersInvalidSpecVerdictIsAFindingAndTheRunFailed() {
    var fp = Passes.pipeline(s -> {});
    reports.put(
        "fp-1",
        new RunReader.Reports(
            List.of(
                trainer(
                    "{\"status\":\"invalid-spec\",\"field\":\"validation.holdoutDays\",\"reason\":\"holdoutDays 400 > series\"}")),
            Optional.empty()));
    var result =
        step.apply(
            Passes.context(
                fp,
                List.of(Passes.job("fp-1", JobState.FAILED, RunTrigger.Schedule)),
                new FakeRegistry()),
            Passes.state(Passes.run("fp-1", RunPhase.Running, NOW.minusSeconds(600))));

    var run = result.state().find("fp-1").orElseThrow();
    assertThat(run.getPhase()).isEqualTo(RunPhase.Failed);
    assertThat(run.getDecision()).isEqualTo(RunDecision.NotRun);
    assertThat(result.state().findings().specRejectedByTrainer())
        .contains("spec.validation.holdoutDays: holdoutDays 400 > series");
    assertThat(result.state().findings().trained()).isEmpty();
  }

  @Test
  void aScheduledRunTheTrainerSkippedIsSkippedWithItsReasonAndAnEvent() {
    var fp = Passes.pipeline(s -> {});
    reports.put(
        "fp-1",
        new RunReader.Reports(
            List.of(
                trainer(
                    "{\"status\":\"skipped\",\"reason\":\"data (sha256 abc) and training spec"
                        + " unchanged since production version 3: nothing new to train\","
                        + "\"championVersion\":\"3\"}")),
            Optional.empty()));
    var result =
        step.apply(
            Passes.context(
                fp,
                List.of(Passes.job("fp-1", JobState.SUCCEEDED, RunTrigger.Schedule)),
                new FakeRegistry()),
            Passes.state(Passes.run("fp-1", RunPhase.Running, NOW.minusSeconds(600))));

    var run = result.state().find("fp-1").orElseThrow();
    assertThat(run.getPhase()).isEqualTo(RunPhase.Skipped);
    assertThat(run.getDecision()).isEqualTo(RunDecision.NotRun);
    assertThat(run.getReason()).contains("unchanged since production version 3");
    assertThat(result.state().findings().trained()).isEmpty();
    assertThat(result.state().lastSuccessfulTime()).isNull();
    assertThat(result.state().announcements()).as("the RunSkipped Event").hasSize(1);
  }

  @Test
  void aJobGoneFromCacheAndServerIsAFailedRun() {
    var fp = Passes.pipeline(s -> {});
    var result =
        step.apply(
            Passes.context(fp),
            Passes.state(Passes.run("fp-1", RunPhase.Pending, NOW.minusSeconds(600))));
    var run = result.state().find("fp-1").orElseThrow();
    assertThat(run.getPhase()).isEqualTo(RunPhase.Failed);
    assertThat(run.getReason()).contains("was deleted before it finished");
    assertThat(result.state().announcements()).hasSize(1);
  }

  @Test
  void aJobTheInformerHasNotSeenIsReadFromTheServer() {
    var fp = Passes.pipeline(s -> {});
    serverJobs.put("fp-1", Passes.job("fp-1", JobState.RUNNING, RunTrigger.Schedule));
    var result =
        step.apply(
            Passes.context(fp),
            Passes.state(Passes.run("fp-1", RunPhase.Pending, NOW.minusSeconds(600))));
    assertThat(result.state().find("fp-1").orElseThrow().getPhase()).isEqualTo(RunPhase.Running);
  }
}
