package dev.almanac.operator.pipeline;

import static dev.almanac.operator.pipeline.Passes.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.PromotionMode;
import dev.almanac.api.v1alpha1.pipeline.PromotionRecord;
import dev.almanac.api.v1alpha1.pipeline.RunDecision;
import dev.almanac.api.v1alpha1.pipeline.RunPhase;
import dev.almanac.operator.Annotations;
import dev.almanac.operator.events.EventRecorder;
import dev.almanac.operator.metrics.AlmanacMetrics;
import dev.almanac.registry.RegistryUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link DecidePromotions} alone on an in-memory registry: gate verdicts, automatic promotion, the
 * verbs.
 */
class DecidePromotionsTest {
  private final FakeRegistry registry =
      new FakeRegistry().withVersion("1", "Production").withVersion("2", "Staging");
  private final EventRecorder events = new EventRecorder(null, Clock.fixed(NOW, ZoneOffset.UTC));
  private final AlmanacMetrics metrics = new AlmanacMetrics(new SimpleMeterRegistry());
  private final DecidePromotions step =
      new DecidePromotions(
          new PromotionGate(),
          new Promoter(events, metrics, new PromotionNotifier(), Clock.fixed(NOW, ZoneOffset.UTC)),
          events,
          metrics,
          10);

  /** A pass in which ObserveRuns found run fp-2 registered version 2 with MASE {@code mase}. */
  private static PassState trained(double mase) {
    var run = Passes.run("fp-2", RunPhase.Succeeded, NOW.minusSeconds(600));
    run.setModelVersion("2");
    var status = new dev.almanac.api.v1alpha1.pipeline.ForecastPipelineStatus();
    status.setRuns(List.of(run));
    status.setProductionVersion("1");
    var result = TrainerResult.parse(Pipelines.result("2", mase, null, null)).orElseThrow();
    var next = PassState.of(status).toBuilder().trained(new PassState.TrainedRun("fp-2", result));
    return next.build();
  }

  private static ForecastPipeline withAnnotation(ForecastPipeline fp, String key, String value) {
    fp.getMetadata().setAnnotations(Map.of(key, value));
    return fp;
  }

  @Test
  void aPassingVersionIsPromotedAutomaticallyInStageAndAlias() {
    var result =
        step.apply(Passes.context(Passes.pipeline(s -> {}), List.of(), registry), trained(0.5));
    var state = result.state();
    assertThat(state.productionVersion()).isEqualTo("2");
    assertThat(state.find("fp-2").orElseThrow().getDecision()).isEqualTo(RunDecision.Promoted);
    assertThat(state.promotions())
        .extracting(PromotionRecord::getReason)
        .containsExactly("Promoted");
    assertThat(state.consecutiveGateFailures()).isZero();
    assertThat(registry.calls).containsExactly("stage 2 Production", "alias production 2");
  }

  @Test
  void aFailedGateMovesNothingAndCountsInARow() {
    var result =
        step.apply(Passes.context(Passes.pipeline(s -> {}), List.of(), registry), trained(1.5));
    var state = result.state();
    assertThat(state.productionVersion()).isEqualTo("1");
    assertThat(state.find("fp-2").orElseThrow().getDecision()).isEqualTo(RunDecision.GateFailed);
    assertThat(state.find("fp-2").orElseThrow().getReason()).contains("threshold");
    assertThat(state.consecutiveGateFailures()).isEqualTo(1);
    assertThat(registry.calls).isEmpty();
  }

  @Test
  void aTieWithProductionKeepsProductionWithoutCountingAsAFailure() {
    var run = Passes.run("fp-2", RunPhase.Succeeded, NOW.minusSeconds(600));
    run.setModelVersion("2");
    var status = new dev.almanac.api.v1alpha1.pipeline.ForecastPipelineStatus();
    status.setRuns(List.of(run));
    status.setProductionVersion("1");
    status.setConsecutiveGateFailures(2);
    // the champion scored through float32 ONNX: equal up to the export's rounding
    var result = TrainerResult.parse(Pipelines.result("2", 0.5, "1", 0.5000001)).orElseThrow();
    var pass =
        PassState.of(status).toBuilder().trained(new PassState.TrainedRun("fp-2", result)).build();

    var state =
        step.apply(Passes.context(Passes.pipeline(s -> {}), List.of(), registry), pass).state();
    var decided = state.find("fp-2").orElseThrow();
    assertThat(decided.getDecision()).isEqualTo(RunDecision.GateFailed);
    assertThat(decided.getReason())
        .contains("ties production version 1")
        .contains("mustBeatProduction keeps production on a tie");
    assertThat(state.productionVersion()).isEqualTo("1");
    assertThat(state.consecutiveGateFailures()).as("a tie is no failure").isEqualTo(2);
    assertThat(registry.calls).isEmpty();

    var lenient = Passes.pipeline(s -> s.getValidation().setMustBeatProduction(false));
    var promoted = step.apply(Passes.context(lenient, List.of(), registry), pass).state();
    assertThat(promoted.find("fp-2").orElseThrow().getDecision())
        .as("without mustBeatProduction a tie is promoted like any passing version")
        .isEqualTo(RunDecision.Promoted);
  }

  @Test
  void aWorseVersionThanProductionFailsTheChampionGate() {
    var run = Passes.run("fp-2", RunPhase.Succeeded, NOW.minusSeconds(600));
    run.setModelVersion("2");
    var status = new dev.almanac.api.v1alpha1.pipeline.ForecastPipelineStatus();
    status.setRuns(List.of(run));
    status.setProductionVersion("1");
    var result = TrainerResult.parse(Pipelines.result("2", 0.52, "1", 0.5)).orElseThrow();
    var pass =
        PassState.of(status).toBuilder().trained(new PassState.TrainedRun("fp-2", result)).build();
    var state =
        step.apply(Passes.context(Passes.pipeline(s -> {}), List.of(), registry), pass).state();
    assertThat(state.find("fp-2").orElseThrow().getReason())
        .contains("does not beat production version 1");
    assertThat(state.consecutiveGateFailures()).isEqualTo(1);
  }

  @Test
  void manualModeWaitsAndThePromoteVerbPromotesTheWaitingRun() {
    var manual = Passes.pipeline(s -> s.getPromotion().setMode(PromotionMode.Manual));
    var waiting = step.apply(Passes.context(manual, List.of(), registry), trained(0.5)).state();
    assertThat(waiting.find("fp-2").orElseThrow().getDecision())
        .isEqualTo(RunDecision.AwaitingApproval);
    assertThat(registry.calls).isEmpty();

    var next =
        new PassState(
            waiting.runs(),
            waiting.productionVersion(),
            waiting.promotions(),
            0,
            null,
            null,
            null,
            null,
            PassState.Findings.NONE,
            List.of(),
            List.of());
    var promoted =
        step.apply(
                Passes.context(
                    withAnnotation(manual, Annotations.PROMOTE, "2"), List.of(), registry),
                next)
            .state();
    assertThat(promoted.productionVersion()).isEqualTo("2");
    assertThat(promoted.find("fp-2").orElseThrow().getDecision()).isEqualTo(RunDecision.Promoted);
    assertThat(promoted.promotions().get(0).getReason()).isEqualTo("ManualPromotion");
    assertThat(promoted.handledAnnotations()).containsExactly(Annotations.PROMOTE);
  }

  @Test
  void aVerbNamingAnUnknownVersionIsAFindingAndStillHandled() {
    var fp = withAnnotation(Passes.pipeline(s -> {}), Annotations.ROLLBACK_TO, "9");
    var state = step.apply(Passes.context(fp, List.of(), registry), Passes.state()).state();
    assertThat(state.findings().promotionFailure())
        .contains(Annotations.ROLLBACK_TO + "=9: m has no version 9");
    assertThat(state.promotions())
        .extracting(PromotionRecord::getReason)
        .containsExactly("PromotionFailed");
    assertThat(state.handledAnnotations()).containsExactly(Annotations.ROLLBACK_TO);
    assertThat(registry.calls).isEmpty();
  }

  @Test
  void anUnreachableRegistryThrowsSoNothingIsRecorded() {
    registry.down.set(true);
    assertThatThrownBy(
            () ->
                step.apply(
                    Passes.context(Passes.pipeline(s -> {}), List.of(), registry), trained(0.5)))
        .isInstanceOf(RegistryUnavailableException.class);
  }
}
