package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.common.Reason;
import dev.almanac.operator.Annotations;
import dev.almanac.operator.events.EventRecorder;

/**
 * The user's promotion verbs: {@code rollback-to} and {@code promote} annotations move the named
 * version to Production (rollback first, so both in one edit end on the promoted version). Each
 * verb is marked handled, acted on or not, so the reconciler removes it.
 */
final class PromotionVerbs {
  private final Promoter promoter;
  private final EventRecorder events;

  PromotionVerbs(Promoter promoter, EventRecorder events) {
    this.promoter = promoter;
    this.events = events;
  }

  void apply(PipelinePass pass) {
    pass.annotation(Annotations.ROLLBACK_TO).ifPresent(v -> move(pass, Annotations.ROLLBACK_TO, v, Promoter.ROLLBACK));
    pass.annotation(Annotations.PROMOTE).ifPresent(v -> move(pass, Annotations.PROMOTE, v, Promoter.MANUAL));
  }

  private void move(PipelinePass pass, String annotation, String version, String kind) {
    var fp = pass.fp;
    var status = pass.status;
    pass.handled.add(annotation);
    if (version.equals(status.getProductionVersion())) {
      return;
    }
    var model = fp.getSpec().getMlflow().getRegisteredModel();
    if (pass.registry().version(model, version).isEmpty()) {
      var message = annotation + "=" + version + ": " + model + " has no version " + version;
      pass.lastPromotionFailure = message;
      pass.addPromotion(pass.decision(version, status.getProductionVersion(), status.getProductionVersion(),
          Reason.PromotionFailed.name()));
      pass.announcements.add(() -> events.warning(fp, Reason.PromotionFailed, message));
      return;
    }
    var from = pass.productionVersion();
    var promotion = promoter.move(fp, pass.registry(), version, from, kind);
    status.setProductionVersion(version);
    pass.addPromotion(promotion);
    if (Promoter.MANUAL.equals(kind)) {
      pass.runs.stream().filter(r -> version.equals(r.getModelVersion()) && Reason.AwaitingApproval.name().equals(r.getDecision()))
          .forEach(r -> r.setDecision(Reason.Promoted.name()));
    }
    pass.announcements.add(() -> promoter.announce(fp, promotion, kind, "requested by " + annotation));
  }
}
