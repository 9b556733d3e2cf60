package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.pipeline.PromotionKind;

/**
 * Told after an alias/stage move (promotion or rollback) has completed in the registry. The
 * ModelDeployment reconciler subscribes to re-resolve deployments that follow the alias now instead
 * of waiting for its poll interval. Called on the reconcile thread: implementations must be quick
 * and must not throw.
 */
@FunctionalInterface
public interface PromotionListener {
  void promoted(PromotionEvent event);

  record PromotionEvent(
      String namespace,
      String pipeline,
      String registeredModel,
      String alias,
      String version,
      PromotionKind kind) {}
}
