package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.common.Reason;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.PromotionKind;
import dev.almanac.api.v1alpha1.pipeline.PromotionRecord;
import dev.almanac.api.v1alpha1.pipeline.StagesPolicy;
import dev.almanac.operator.events.EventRecorder;
import dev.almanac.operator.metrics.AlmanacMetrics;
import dev.almanac.operator.registry.ModelRegistryPort;
import dev.almanac.operator.registry.StagesRefusedException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Moves a version to production: stage Production first where {@code promotion.stages} and the
 * registry allow (previous Production archived), then the alias and the {@code almanac.role} tags
 * (the promoted version {@code production}, the one it replaces {@code archived}). Every call is
 * idempotent, so a retry after MLflow failed between them completes the move; the promotion is only
 * recorded (status, Event, metric, listeners) once both succeeded.
 */
public final class Promoter {
  public static final String DEFAULT_ALIAS = "production";

  /** Version tag naming a version's part in promotion (the trainer sets challenger). */
  public static final String ROLE_TAG = "almanac.role";

  private final EventRecorder events;
  private final AlmanacMetrics metrics;
  private final PromotionNotifier notifier;
  private final Clock clock;

  public Promoter(
      EventRecorder events, AlmanacMetrics metrics, PromotionNotifier notifier, Clock clock) {
    this.events = events;
    this.metrics = metrics;
    this.notifier = notifier;
    this.clock = clock;
  }

  public static String alias(ForecastPipeline fp) {
    var p = fp.getSpec().getPromotion();
    return p == null || p.getAlias() == null ? DEFAULT_ALIAS : p.getAlias();
  }

  /**
   * Moves stage and alias; returns the record to put into status.promotions. Nothing is announced:
   * the caller calls {@link #announce} once the whole reconcile succeeded, so a retry after an
   * outage does not count a promotion twice.
   */
  public PromotionRecord move(
      ForecastPipeline fp,
      ModelRegistryPort registry,
      String version,
      String from,
      PromotionKind kind) {
    var model = fp.getSpec().getMlflow().getRegisteredModel();
    var stages =
        fp.getSpec().getPromotion() == null || fp.getSpec().getPromotion().getStages() == null
            ? StagesPolicy.Auto
            : fp.getSpec().getPromotion().getStages();
    if (stages != StagesPolicy.Never) {
      try {
        registry.transitionStage(model, version, "Production", true);
      } catch (StagesRefusedException e) {
        if (stages == StagesPolicy.Always) {
          throw new StagesRefusedException(
              "promotion.stages is Always but "
                  + e.getMessage()
                  + "; set promotion.stages to Auto or Never",
              e);
        } // Auto: the registry has no stages, the alias below is the promotion
      }
    }
    registry.setAlias(model, alias(fp), version);
    registry.setTag(model, version, ROLE_TAG, "production");
    if (from != null && !from.equals(version)) {
      registry.setTag(model, from, ROLE_TAG, "archived");
    }
    var record = new PromotionRecord();
    record.setVersion(version);
    record.setFrom(from);
    record.setTo(version);
    record.setTime(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
    record.setReason(kind.reason().name());
    return record;
  }

  /** Event, metric and listeners for a completed {@link #move}. */
  public void announce(
      ForecastPipeline fp, PromotionRecord record, PromotionKind kind, String why) {
    var model = fp.getSpec().getMlflow().getRegisteredModel();
    var alias = alias(fp);
    var rollback = kind == PromotionKind.ROLLBACK;
    var message =
        (rollback ? "rolled back " : "promoted ")
            + model
            + " to version "
            + record.getVersion()
            + " (alias "
            + alias
            + ", previous production "
            + (record.getFrom() == null ? "none" : record.getFrom())
            + ")"
            + (why == null ? "" : ": " + why);
    events.normal(fp, rollback ? Reason.RolledBack : Reason.Promoted, message);
    metrics.promotion(fp.getMetadata().getNamespace(), fp.getMetadata().getName(), kind.wireName());
    notifier.publish(
        new PromotionListener.PromotionEvent(
            fp.getMetadata().getNamespace(),
            fp.getMetadata().getName(),
            model,
            alias,
            record.getVersion(),
            kind));
  }
}
