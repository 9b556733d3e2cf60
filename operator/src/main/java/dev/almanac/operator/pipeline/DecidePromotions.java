package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.common.Reason;
import dev.almanac.api.v1alpha1.pipeline.PromotionKind;
import dev.almanac.api.v1alpha1.pipeline.PromotionMode;
import dev.almanac.api.v1alpha1.pipeline.PromotionRecord;
import dev.almanac.api.v1alpha1.pipeline.RunDecision;
import dev.almanac.operator.Annotations;
import dev.almanac.operator.events.EventRecorder;
import dev.almanac.operator.metrics.AlmanacMetrics;
import dev.almanac.operator.registry.ModelRegistryPort;

/**
 * The one step that decides promotions and moves MLflow. First the gate verdict of each run that
 * registered a version in this pass: promoted at once (mode Automatic), left waiting for approval
 * (mode Manual), or rejected. Then the user's verbs: {@code rollback-to} and {@code promote} move
 * the named version to Production (rollback first, so both in one edit end on the promoted
 * version); each verb is marked handled, acted on or not, so the reconciler removes it. A registry
 * failure throws: the pass records nothing and is retried.
 */
final class DecidePromotions implements PipelineStep {
  private final PromotionGate gate;
  private final Promoter promoter;
  private final EventRecorder events;
  private final AlmanacMetrics metrics;
  private final int promotionsHistory;

  DecidePromotions(
      PromotionGate gate,
      Promoter promoter,
      EventRecorder events,
      AlmanacMetrics metrics,
      int promotionsHistory) {
    this.gate = gate;
    this.promoter = promoter;
    this.events = events;
    this.metrics = metrics;
    this.promotionsHistory = promotionsHistory;
  }

  @Override
  public Result apply(PipelineContext context, PassState state) {
    var next = state.toBuilder();
    for (var trained : state.findings().trained()) {
      decide(context, next, trained);
    }
    context
        .annotation(Annotations.ROLLBACK_TO)
        .ifPresent(v -> move(context, next, Annotations.ROLLBACK_TO, v, PromotionKind.ROLLBACK));
    context
        .annotation(Annotations.PROMOTE)
        .ifPresent(v -> move(context, next, Annotations.PROMOTE, v, PromotionKind.MANUAL));
    return Result.proceed(next.build());
  }

  private void decide(
      PipelineContext context, PassState.Builder next, PassState.TrainedRun trained) {
    var fp = context.fp();
    var namespace = context.namespace();
    var name = context.name();
    var record =
        next.runs().stream()
            .filter(r -> r.getName().equals(trained.run()))
            .findFirst()
            .map(next::edit)
            .orElseThrow();
    var result = trained.result();
    var verdict = gate.evaluate(fp.getSpec(), result);
    var version = result.modelVersion();
    var model = context.registeredModel();
    var production = next.productionVersion();
    // counted here, not from the run history: that is bounded, and an alert threshold above its
    // limit would never fire
    // a tie with production is no failure: the run-now retrain of unchanged data ends there
    next.consecutiveGateFailures(
        verdict.passed()
            ? 0
            : PromotionGate.TIE.equals(verdict.gate())
                ? next.consecutiveGateFailures()
                : next.consecutiveGateFailures() + 1);
    if (!verdict.passed()) {
      record.setDecision(RunDecision.GateFailed);
      record.setReason(verdict.message());
      next.addPromotion(
          decision(context, version, production, production, Reason.GateFailed), promotionsHistory);
      next.announce(
          () -> {
            events.warning(
                fp,
                Reason.GateFailed,
                model
                    + " version "
                    + version
                    + " from run "
                    + record.getName()
                    + " stays the challenger, not promoted: "
                    + verdict.message());
            metrics.gateFailure(namespace, name, verdict.gate());
          });
    } else if (context.mode() == PromotionMode.Automatic) {
      var promotion =
          promoter.move(
              fp,
              context.registry().get(),
              version,
              productionVersion(context, next),
              PromotionKind.AUTOMATIC);
      next.productionVersion(version).addPromotion(promotion, promotionsHistory);
      record.setDecision(RunDecision.Promoted);
      record.setReason(verdict.message());
      next.announce(
          () -> {
            events.normal(
                fp, Reason.GatePassed, model + " version " + version + ": " + verdict.message());
            promoter.announce(fp, promotion, PromotionKind.AUTOMATIC, verdict.message());
          });
    } else {
      record.setDecision(RunDecision.AwaitingApproval);
      record.setReason(
          verdict.message() + "; annotate " + Annotations.PROMOTE + "=" + version + " to promote");
      next.addPromotion(
          decision(context, version, production, null, Reason.AwaitingApproval), promotionsHistory);
      next.announce(
          () -> {
            events.normal(
                fp, Reason.GatePassed, model + " version " + version + ": " + verdict.message());
            events.normal(
                fp,
                Reason.AwaitingApproval,
                model
                    + " version "
                    + version
                    + " waits as the challenger for "
                    + Annotations.PROMOTE
                    + "="
                    + version);
          });
    }
  }

  private void move(
      PipelineContext context,
      PassState.Builder next,
      String annotation,
      String version,
      PromotionKind kind) {
    var fp = context.fp();
    next.handled(annotation);
    var production = next.productionVersion();
    if (version.equals(production)) {
      return;
    }
    var model = context.registeredModel();
    if (context.registry().get().version(model, version).isEmpty()) {
      var message = annotation + "=" + version + ": " + model + " has no version " + version;
      next.promotionFailure(message);
      next.addPromotion(
          decision(context, version, production, production, Reason.PromotionFailed),
          promotionsHistory);
      next.announce(() -> events.warning(fp, Reason.PromotionFailed, message));
      return;
    }
    var promotion =
        promoter.move(
            fp, context.registry().get(), version, productionVersion(context, next), kind);
    next.productionVersion(version).addPromotion(promotion, promotionsHistory);
    if (kind == PromotionKind.MANUAL) {
      next.runs().stream()
          .filter(
              r ->
                  version.equals(r.getModelVersion())
                      && r.getDecision() == RunDecision.AwaitingApproval)
          .map(next::edit)
          .forEach(r -> r.setDecision(RunDecision.Promoted));
    }
    next.announce(() -> promoter.announce(fp, promotion, kind, "requested by " + annotation));
  }

  /**
   * Production as status knows it, else as the registry's alias says (status written before it was
   * recorded).
   */
  private static String productionVersion(PipelineContext context, PassState.Builder next) {
    if (next.productionVersion() != null) {
      return next.productionVersion();
    }
    return context
        .registry()
        .get()
        .byAlias(context.registeredModel(), Promoter.alias(context.fp()))
        .map(ModelRegistryPort.VersionInfo::version)
        .orElse(null);
  }

  private static PromotionRecord decision(
      PipelineContext context, String version, String from, String to, Reason reason) {
    var record = new PromotionRecord();
    record.setVersion(version);
    record.setFrom(from);
    record.setTo(to);
    record.setTime(context.now().toString());
    record.setReason(reason.name());
    return record;
  }
}
