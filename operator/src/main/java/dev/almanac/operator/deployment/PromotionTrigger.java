package dev.almanac.operator.deployment;

import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;

/**
 * Turns "a version of registered model M was promoted or rolled back" into reconciles of the
 * ModelDeployments in that namespace that follow M by alias or stage. Pinned versions are left
 * alone: a promotion cannot change what they serve. An in-memory event source (no annotation
 * writes), so a promotion costs no API call and no resourceVersion churn.
 */
final class PromotionTrigger {
  static final String EVENT_SOURCE = "model-promotions";

  private final SimpleInboundEventSource<ModelDeployment> source =
      new SimpleInboundEventSource<>(EVENT_SOURCE);
  private volatile IndexerResourceCache<ModelDeployment> primaries;

  SimpleInboundEventSource<ModelDeployment> eventSource(
      IndexerResourceCache<ModelDeployment> primaryCache) {
    this.primaries = primaryCache;
    return source;
  }

  /** Returns how many ModelDeployments were queued (0 before the controller started). */
  int fire(String namespace, String registeredModel) {
    var cache = primaries;
    if (cache == null) {
      return 0;
    }
    var matching = cache.list(namespace).filter(md -> follows(md, registeredModel)).toList();
    matching.forEach(md -> source.propagateEvent(ResourceID.fromResource(md)));
    return matching.size();
  }

  static boolean follows(ModelDeployment md, String registeredModel) {
    var model = md.getSpec() == null ? null : md.getSpec().getModel();
    return model != null
        && registeredModel.equals(model.getRegisteredModel())
        && (model.getAlias() != null || model.getStage() != null);
  }
}
