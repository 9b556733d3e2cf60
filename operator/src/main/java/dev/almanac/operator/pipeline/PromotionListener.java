package dev.almanac.operator.pipeline;

/**
 * Told after an alias/stage move (promotion or rollback) has completed in the registry. The
 * ModelDeployment reconciler subscribes to re-resolve deployments that follow the alias now instead of
 * waiting for its poll interval. Called on the reconcile thread: implementations must be quick and
 * must not throw.
 */
@FunctionalInterface
public interface PromotionListener {
  void promoted(PromotionEvent event);

  /** @param kind automatic, manual or rollback */
  record PromotionEvent(String namespace, String pipeline, String registeredModel, String alias, String version,
      String kind) {}
}
