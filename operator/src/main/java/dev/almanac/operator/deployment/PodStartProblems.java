package dev.almanac.operator.deployment;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Set;

/**
 * Why a server's pods cannot start, in the kubelet's words: an image that cannot be pulled or
 * found. A Deployment only says "not available" (and, after its progress deadline, "stalled"); the
 * reason sits on the pods' container statuses.
 */
final class PodStartProblems {
  /** Waiting reasons that no retry of the kubelet will fix by itself: the image must change. */
  static final Set<String> IMAGE_REASONS =
      Set.of("ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull", "InvalidImageName");

  private PodStartProblems() {}

  /** The first image problem among {@code pods}, as one line naming image and reason; else null. */
  static String imageProblem(List<Pod> pods) {
    for (var pod : pods) {
      var status = pod.getStatus();
      if (status == null || status.getContainerStatuses() == null) {
        continue;
      }
      for (ContainerStatus container : status.getContainerStatuses()) {
        var waiting = container.getState() == null ? null : container.getState().getWaiting();
        if (waiting != null && IMAGE_REASONS.contains(waiting.getReason())) {
          var message = waiting.getMessage() == null ? "" : ": " + waiting.getMessage();
          return "image "
              + container.getImage()
              + " of pod "
              + pod.getMetadata().getName()
              + " cannot be used ("
              + waiting.getReason()
              + message
              + ")";
        }
      }
    }
    return null;
  }
}
