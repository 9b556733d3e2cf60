package dev.almanac.operator.deployment;

import dev.almanac.operator.Annotations;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import java.util.Objects;

/**
 * What the server Deployment says about its rollout, read once per reconcile, and why its new pods
 * cannot start when the kubelet says so ({@code podProblem}, e.g. an image that cannot be pulled;
 * null when none is known).
 */
public record RolloutObservation(
    String templateVersion,
    int desiredReplicas,
    int replicas,
    int updatedReplicas,
    int readyReplicas,
    int availableReplicas,
    boolean observedCurrentGeneration,
    boolean stalled,
    String podProblem) {

  /** The same observation with what the pods say. */
  public RolloutObservation withPodProblem(String problem) {
    return new RolloutObservation(
        templateVersion,
        desiredReplicas,
        replicas,
        updatedReplicas,
        readyReplicas,
        availableReplicas,
        observedCurrentGeneration,
        stalled,
        problem);
  }

  public static RolloutObservation of(Deployment deployment) {
    var spec = deployment.getSpec();
    var status = deployment.getStatus();
    var annotations =
        spec.getTemplate().getMetadata() == null
            ? null
            : spec.getTemplate().getMetadata().getAnnotations();
    var version = annotations == null ? null : annotations.get(Annotations.MODEL_VERSION);
    var generation = deployment.getMetadata().getGeneration();
    if (status == null) {
      return new RolloutObservation(
          version, orZero(spec.getReplicas()), 0, 0, 0, 0, false, false, null);
    }
    var stalled =
        status.getConditions() != null
            && status.getConditions().stream().anyMatch(RolloutObservation::deadlineExceeded);
    return new RolloutObservation(
        version,
        orZero(spec.getReplicas()),
        orZero(status.getReplicas()),
        orZero(status.getUpdatedReplicas()),
        orZero(status.getReadyReplicas()),
        orZero(status.getAvailableReplicas()),
        generation != null && Objects.equals(generation, status.getObservedGeneration()),
        stalled,
        null);
  }

  /**
   * Every pod runs the template's version and is ready: the controller has seen the current
   * template, no old pod is left, and all of them pass the readiness probe (model loaded and warmed
   * up).
   */
  public boolean complete() {
    return observedCurrentGeneration
        && updatedReplicas == replicas
        && readyReplicas == replicas
        && replicas == desiredReplicas;
  }

  private static boolean deadlineExceeded(DeploymentCondition c) {
    return "Progressing".equals(c.getType())
        && "False".equals(c.getStatus())
        && "ProgressDeadlineExceeded".equals(c.getReason());
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
