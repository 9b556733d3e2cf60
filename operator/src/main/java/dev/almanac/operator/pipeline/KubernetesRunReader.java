package dev.almanac.operator.pipeline;

import dev.almanac.operator.Labels;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Optional;

/**
 * {@link RunReader} on the API server: a Job by name, and what the trainer pods of one run
 * reported, the termination message of the trainer container (one per shard), plus the kubelet's
 * reason when a container died without a result (OOMKilled, DeadlineExceeded). One {@code list} per
 * finished run, no Pod informer.
 */
final class KubernetesRunReader implements RunReader {
  private final KubernetesClient client;

  KubernetesRunReader(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Optional<Job> job(String namespace, String name) {
    return Optional.ofNullable(
        client.batch().v1().jobs().inNamespace(namespace).withName(name).get());
  }

  @Override
  public Reports reports(String namespace, String run) {
    var results = new ArrayList<TrainerResult>();
    String podReason = null;
    var pods = client.pods().inNamespace(namespace).withLabel(Labels.RUN, run).list().getItems();
    for (var pod : pods) {
      if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
        continue;
      }
      for (var cs : pod.getStatus().getContainerStatuses()) {
        var terminated = cs.getState() == null ? null : cs.getState().getTerminated();
        if (terminated == null || !RunObjects.CONTAINER.equals(cs.getName())) {
          continue;
        }
        var parsed = TrainerResult.parse(terminated.getMessage());
        parsed.ifPresent(results::add);
        if (parsed.isEmpty()
            && podReason == null
            && terminated.getExitCode() != null
            && terminated.getExitCode() != 0) {
          var message = terminated.getMessage() == null ? "" : terminated.getMessage().strip();
          if (message.length() > 300) {
            message = "..." + message.substring(message.length() - 300);
          }
          podReason =
              "pod "
                  + pod.getMetadata().getName()
                  + ": "
                  + terminated.getReason()
                  + " (exit code "
                  + terminated.getExitCode()
                  + ")"
                  + (message.isEmpty() ? "" : ": " + message);
        }
      }
    }
    return new Reports(results, Optional.ofNullable(podReason));
  }
}
