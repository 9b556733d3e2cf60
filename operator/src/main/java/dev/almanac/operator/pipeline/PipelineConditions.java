package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.common.ConditionType;
import dev.almanac.api.v1alpha1.common.Conditions;
import dev.almanac.api.v1alpha1.common.Reason;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipelineStatus;
import dev.almanac.api.v1alpha1.pipeline.PromotionRecord;
import dev.almanac.api.v1alpha1.pipeline.RunDecision;
import dev.almanac.api.v1alpha1.pipeline.RunPhase;
import dev.almanac.api.v1alpha1.pipeline.RunRecord;
import dev.almanac.operator.Annotations;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The one place that sets the pipeline's conditions (Ready, Scheduled, Training, Validated,
 * Promoted): after the last step of a pass from its runs, promotions and findings (on the pruned
 * history), and on the error paths of the reconciler (invalid spec, MLflow unreachable, any other
 * failure).
 */
final class PipelineConditions {
  private final Clock clock;

  PipelineConditions(Clock clock) {
    this.clock = clock;
  }

  /** After a pass: {@code status} already holds the state's fields. */
  void set(PipelineContext context, PassState state, ForecastPipelineStatus status) {
    var fp = context.fp();
    var findings = state.findings();
    var runs = state.runs();
    var gen = fp.getMetadata().getGeneration();
    var c = status.getConditions();
    var latestFinished =
        runs.stream()
            .filter(r -> !PassState.active(r) && r.getPhase() != RunPhase.Skipped)
            .findFirst();
    var active = state.activeRuns();

    if (findings.specRejectedByTrainer().isPresent()) {
      c =
          Conditions.set(
              c,
              ConditionType.READY,
              false,
              Reason.InvalidSpec,
              findings.specRejectedByTrainer().get(),
              gen,
              clock);
    } else if (latestFinished.filter(r -> r.getPhase() == RunPhase.Failed).isPresent()) {
      c =
          Conditions.set(
              c,
              ConditionType.READY,
              false,
              Reason.RunFailed,
              "latest run "
                  + latestFinished.get().getName()
                  + " failed: "
                  + latestFinished.get().getReason(),
              gen,
              clock);
    } else {
      c =
          Conditions.set(
              c, ConditionType.READY, true, Reason.Reconciled, "pipeline reconciled", gen, clock);
    }

    if (context.suspended()) {
      c =
          Conditions.set(
              c,
              ConditionType.SCHEDULED,
              false,
              Reason.Suspended,
              "spec.suspend is true: no new runs",
              gen,
              clock);
    } else if (findings.waiting().isPresent()) {
      c =
          Conditions.set(
              c,
              ConditionType.SCHEDULED,
              true,
              Reason.Scheduled,
              findings.waiting().get(),
              gen,
              clock);
    } else if (context.schedule().isPresent()) {
      c =
          Conditions.set(
              c,
              ConditionType.SCHEDULED,
              true,
              Reason.Scheduled,
              "schedule '"
                  + context.schedule().get().expression()
                  + "' ("
                  + Optional.ofNullable(fp.getSpec().getTimeZone()).orElse("Etc/UTC")
                  + "), next run at "
                  + status.getNextScheduleTime(),
              gen,
              clock);
    } else {
      c =
          Conditions.set(
              c,
              ConditionType.SCHEDULED,
              true,
              Reason.Scheduled,
              "no schedule: one run per spec generation",
              gen,
              clock);
    }

    if (!active.isEmpty()) {
      c =
          Conditions.set(
              c,
              ConditionType.TRAINING,
              true,
              Reason.RunStarted,
              "running: " + String.join(", ", active.stream().map(RunRecord::getName).toList()),
              gen,
              clock);
    } else if (latestFinished.isPresent()) {
      var r = latestFinished.get();
      var ok = r.getPhase() == RunPhase.Succeeded;
      c =
          Conditions.set(
              c,
              ConditionType.TRAINING,
              false,
              ok ? Reason.RunSucceeded : Reason.RunFailed,
              "run " + r.getName() + (ok ? " succeeded" : " failed: " + r.getReason()),
              gen,
              clock);
    } else {
      c =
          Conditions.set(
              c, ConditionType.TRAINING, false, Reason.Reconciled, "no run yet", gen, clock);
    }

    var latestValidated = runs.stream().filter(r -> r.getPhase() == RunPhase.Succeeded).findFirst();
    if (latestValidated.isPresent()) {
      var r = latestValidated.get();
      var failedGate = r.getDecision() == RunDecision.GateFailed;
      c =
          Conditions.set(
              c,
              ConditionType.VALIDATED,
              !failedGate,
              failedGate ? Reason.GateFailed : Reason.GatePassed,
              "version " + r.getModelVersion() + ": " + r.getReason(),
              gen,
              clock);
    } else if (Conditions.find(c, ConditionType.VALIDATED).isEmpty()) {
      c =
          Conditions.set(
              c,
              ConditionType.VALIDATED,
              "Unknown",
              Reason.Reconciled,
              "no validated run yet",
              gen,
              clock);
    }

    var latestDecision =
        Optional.ofNullable(status.getPromotions()).flatMap(p -> p.stream().findFirst());
    if (latestDecision.isPresent()) {
      var d = latestDecision.get();
      var production =
          status.getProductionVersion() == null ? "none" : status.getProductionVersion();
      var c0 = c;
      c =
          switch (reasonOf(d)) {
            case Promoted, ManualPromotion ->
                Conditions.set(
                    c,
                    ConditionType.PROMOTED,
                    true,
                    Reason.Promoted,
                    "version "
                        + d.getVersion()
                        + " is production (alias "
                        + Promoter.alias(fp)
                        + ")",
                    gen,
                    clock);
            case RolledBack ->
                Conditions.set(
                    c,
                    ConditionType.PROMOTED,
                    true,
                    Reason.RolledBack,
                    "rolled back to version "
                        + d.getVersion()
                        + " (alias "
                        + Promoter.alias(fp)
                        + ")",
                    gen,
                    clock);
            case AwaitingApproval ->
                Conditions.set(
                    c,
                    ConditionType.PROMOTED,
                    false,
                    Reason.AwaitingApproval,
                    "version "
                        + d.getVersion()
                        + " waits for "
                        + Annotations.PROMOTE
                        + "="
                        + d.getVersion()
                        + "; production is "
                        + production,
                    gen,
                    clock);
            case PromotionFailed ->
                Conditions.set(
                    c,
                    ConditionType.PROMOTED,
                    false,
                    Reason.PromotionFailed,
                    findings
                        .promotionFailure()
                        .or(() -> previousPromotionFailure(c0))
                        .orElse(
                            "promotion of version "
                                + d.getVersion()
                                + " failed; production is "
                                + production),
                    gen,
                    clock);
            default ->
                Conditions.set(
                    c,
                    ConditionType.PROMOTED,
                    false,
                    Reason.GateFailed,
                    "version "
                        + d.getVersion()
                        + " failed its gates; production stays "
                        + production,
                    gen,
                    clock);
          };
    } else if (Conditions.find(c, ConditionType.PROMOTED).isEmpty()) {
      c =
          Conditions.set(
              c,
              ConditionType.PROMOTED,
              "Unknown",
              Reason.Reconciled,
              "nothing promoted yet",
              gen,
              clock);
    }
    status.setConditions(c);
  }

  /**
   * The spec cannot be worked on: Ready false (and Scheduled false when the schedule is what is
   * wrong).
   */
  void invalidSpec(
      ForecastPipeline fp, ForecastPipelineStatus status, InvalidSpecException invalid) {
    var gen = fp.getMetadata().getGeneration();
    status.setConditions(
        Conditions.set(
            status.getConditions(),
            ConditionType.READY,
            false,
            Reason.InvalidSpec,
            invalid.getMessage(),
            gen,
            clock));
    if ("schedule".equals(invalid.field()) || "timeZone".equals(invalid.field())) {
      status.setConditions(
          Conditions.set(
              status.getConditions(),
              ConditionType.SCHEDULED,
              false,
              Reason.InvalidSpec,
              invalid.getMessage(),
              gen,
              clock));
      status.setNextScheduleTime(null);
    }
    status.setObservedGeneration(gen);
  }

  /** MLflow could not be reached: Ready false until a retry gets through. */
  void registryUnavailable(ForecastPipeline fp, ForecastPipelineStatus status, String message) {
    status.setConditions(
        Conditions.set(
            status.getConditions(),
            ConditionType.READY,
            false,
            Reason.MlflowUnreachable,
            message,
            fp.getMetadata().getGeneration(),
            clock));
  }

  /** Any other failure of a pass. */
  void reconcileFailed(ForecastPipeline fp, ForecastPipelineStatus status, Throwable cause) {
    status.setConditions(
        Conditions.set(
            status.getConditions(),
            ConditionType.READY,
            false,
            Reason.Reconciled,
            "reconcile failed: " + cause,
            fp.getMetadata().getGeneration(),
            clock));
  }

  /**
   * The reason a promotion record names; a value this operator never wrote reads as a gate failure.
   */
  private static Reason reasonOf(PromotionRecord record) {
    return Arrays.stream(Reason.values())
        .filter(r -> r.name().equals(record.getReason()))
        .findFirst()
        .orElse(Reason.GateFailed);
  }

  /**
   * The specific message a failed promotion wrote in an earlier pass (it only knows it in that
   * pass).
   */
  private static Optional<String> previousPromotionFailure(List<Condition> conditions) {
    return Conditions.find(conditions, ConditionType.PROMOTED)
        .filter(p -> Reason.PromotionFailed.name().equals(p.getReason()))
        .map(Condition::getMessage);
  }
}
