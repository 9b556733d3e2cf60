package dev.almanac.operator.pipeline;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

/**
 * The owner of run objects on the cluster (a run's ConfigMap and Job, built by {@link RunObjects}):
 * the only code that creates or deletes them. Steps that start, replace or prune runs ask it.
 */
interface RunObjectStore {
  /**
   * Creates both objects once; one that already exists (a previous operator made it) is adopted.
   */
  void create(ConfigMap spec, Job job);

  /** Deletes a run's Job (with its pods) and ConfigMap; absent objects are fine. */
  void delete(String namespace, String run);

  /** Creates or updates the pipeline's trainer NetworkPolicy ({@link TrainerNetworkPolicy}). */
  default void applyPolicy(NetworkPolicy policy) {}

  /** Deletes the pipeline's trainer NetworkPolicy; an absent one is fine. */
  default void deletePolicy(String namespace, String name) {}
}
