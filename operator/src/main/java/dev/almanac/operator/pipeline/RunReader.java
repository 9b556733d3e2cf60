package dev.almanac.operator.pipeline;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Optional;

/** What {@link ObserveRuns} reads from the cluster beyond the informer's Jobs. Reads only. */
interface RunReader {
  /** A Job the informer may not have seen yet (created by the previous pass). */
  Optional<Job> job(String namespace, String name);

  /** What the trainer pods of one run reported. */
  Reports reports(String namespace, String run);

  /**
   * One result per trainer container that wrote one, and the kubelet's reason when one died
   * without.
   */
  record Reports(List<TrainerResult> results, Optional<String> podReason) {}
}
