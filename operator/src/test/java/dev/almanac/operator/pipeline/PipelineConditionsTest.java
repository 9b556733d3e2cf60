package dev.almanac.operator.pipeline;

import static dev.almanac.operator.pipeline.Passes.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.api.v1alpha1.common.ConditionType;
import dev.almanac.api.v1alpha1.common.Conditions;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipelineStatus;
import dev.almanac.api.v1alpha1.pipeline.RunPhase;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link PipelineConditions}: the conditions from a pass's findings, and on each error path. */
class PipelineConditionsTest {
  private final PipelineConditions conditions =
      new PipelineConditions(Clock.fixed(NOW, ZoneOffset.UTC));

  private static Condition find(ForecastPipelineStatus status, String type) {
    return Conditions.find(status.getConditions(), type).orElseThrow();
  }

  @Test
  void findingsOfThePassReachTheirConditions() {
    var fp = Passes.pipeline(s -> {});
    var state =
        Passes.state(Passes.run("fp-1", RunPhase.Running, NOW)).toBuilder()
            .specRejectedByTrainer("spec.horizon: too long")
            .waiting("SpecChange run waits for fp-1", true)
            .promotionFailure("almanac.dev/promote=9: m has no version 9")
            .build();
    var status = new ForecastPipelineStatus();
    var failed = new dev.almanac.api.v1alpha1.pipeline.PromotionRecord();
    failed.setVersion("9");
    failed.setReason("PromotionFailed");
    status.setPromotions(List.of(failed));
    conditions.set(Passes.context(fp), state, status);

    assertThat(find(status, ConditionType.READY).getReason()).isEqualTo("InvalidSpec");
    assertThat(find(status, ConditionType.READY).getMessage()).isEqualTo("spec.horizon: too long");
    assertThat(find(status, ConditionType.SCHEDULED).getMessage())
        .isEqualTo("SpecChange run waits for fp-1");
    assertThat(find(status, ConditionType.TRAINING).getStatus()).isEqualTo("True");
    assertThat(find(status, ConditionType.PROMOTED).getMessage())
        .isEqualTo("almanac.dev/promote=9: m has no version 9");
    assertThat(status.getConditions())
        .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(1L));
  }

  @Test
  void anInvalidScheduleIsNotReadyAndNotScheduled() {
    var fp = Passes.pipeline(s -> s.setSchedule("61 * * * *"));
    var status = new ForecastPipelineStatus();
    status.setNextScheduleTime(NOW.toString());
    conditions.invalidSpec(
        fp,
        status,
        new InvalidSpecException("schedule", "'61 * * * *' is not a valid cron expression"));
    assertThat(find(status, ConditionType.READY).getReason()).isEqualTo("InvalidSpec");
    assertThat(find(status, ConditionType.SCHEDULED).getStatus()).isEqualTo("False");
    assertThat(status.getNextScheduleTime()).isNull();
    assertThat(status.getObservedGeneration()).isEqualTo(1L);
  }

  @Test
  void registryAndOtherFailuresOnlyTouchReady() {
    var fp = Passes.pipeline(s -> {});
    var status = new ForecastPipelineStatus();
    conditions.registryUnavailable(fp, status, "MLflow unreachable");
    assertThat(find(status, ConditionType.READY).getReason()).isEqualTo("MlflowUnreachable");
    conditions.reconcileFailed(fp, status, new IllegalStateException("boom"));
    assertThat(find(status, ConditionType.READY).getMessage())
        .isEqualTo("reconcile failed: java.lang.IllegalStateException: boom");
    assertThat(status.getConditions()).hasSize(1);
  }
}
