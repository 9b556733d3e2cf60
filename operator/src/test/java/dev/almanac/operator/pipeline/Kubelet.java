package dev.almanac.operator.pipeline;

import dev.almanac.operator.Labels;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;

/**
 * Plays the kubelet and the Job controller, which the test bed does not run: a trainer pod with its
 * termination message, then the Job's final status.
 */
final class Kubelet {
  private Kubelet() {}

  static void start(KubernetesClient client, String namespace, String job, Instant start) {
    var j = client.batch().v1().jobs().inNamespace(namespace).withName(job).get();
    j.setStatus(new JobStatusBuilder().withStartTime(start.toString()).withActive(1).build());
    client.batch().v1().jobs().resource(j).updateStatus();
  }

  /** {@code message} is the trainer container's termination message; exit code 0 when succeeded. */
  static void finish(
      KubernetesClient client,
      String namespace,
      String job,
      boolean succeeded,
      String message,
      Instant start,
      Instant end) {
    finish(client, namespace, job, job, succeeded, message, start, end);
  }

  /** As above for a Job whose pod carries another run's label (a sharded run's merge Job). */
  static void finish(
      KubernetesClient client,
      String namespace,
      String job,
      String run,
      boolean succeeded,
      String message,
      Instant start,
      Instant end) {
    var pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(job + "-0-abcde")
            .withNamespace(namespace)
            .addToLabels(Labels.RUN, run)
            .addToLabels("batch.kubernetes.io/job-name", job)
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            .addNewContainer()
            .withName(RunObjects.CONTAINER)
            .withImage("trainer")
            .endContainer()
            .endSpec()
            .build();
    var created = client.pods().resource(pod).create();
    created.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
            .withPhase(succeeded ? "Succeeded" : "Failed")
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName(RunObjects.CONTAINER)
                    .withImage("trainer")
                    .withImageID("")
                    .withReady(false)
                    .withRestartCount(0)
                    .withNewState()
                    .withNewTerminated()
                    .withExitCode(succeeded ? 0 : 1)
                    .withReason(succeeded ? "Completed" : "Error")
                    .withMessage(message)
                    .withStartedAt(start.toString())
                    .withFinishedAt(end.toString())
                    .endTerminated()
                    .endState()
                    .build())
            .build());
    client.pods().resource(created).updateStatus();

    Job j = client.batch().v1().jobs().inNamespace(namespace).withName(job).get();
    var status = new JobStatusBuilder().withStartTime(start.toString());
    if (succeeded) {
      status
          .withSucceeded(1)
          .withCompletionTime(end.toString())
          .withConditions(
              new JobConditionBuilder()
                  .withType("SuccessCriteriaMet")
                  .withStatus("True")
                  .withLastTransitionTime(end.toString())
                  .withLastProbeTime(end.toString())
                  .build(),
              new JobConditionBuilder()
                  .withType("Complete")
                  .withStatus("True")
                  .withLastTransitionTime(end.toString())
                  .withLastProbeTime(end.toString())
                  .build());
    } else {
      status
          .withFailed(1)
          .withConditions(
              new JobConditionBuilder()
                  .withType("FailureTarget")
                  .withStatus("True")
                  .withReason("BackoffLimitExceeded")
                  .withMessage("Job has reached the specified backoff limit")
                  .withLastTransitionTime(end.toString())
                  .withLastProbeTime(end.toString())
                  .build(),
              new JobConditionBuilder()
                  .withType("Failed")
                  .withStatus("True")
                  .withReason("BackoffLimitExceeded")
                  .withMessage("Job has reached the specified backoff limit")
                  .withLastTransitionTime(end.toString())
                  .withLastProbeTime(end.toString())
                  .build());
    }
    j.setStatus(status.build());
    client.batch().v1().jobs().resource(j).updateStatus();
  }
}
