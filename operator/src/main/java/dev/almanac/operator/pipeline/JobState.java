package dev.almanac.operator.pipeline;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.Optional;

/** Where a Job is, read from the conditions the Job controller (or a test playing it) writes. */
enum JobState {
  RUNNING,
  SUCCEEDED,
  FAILED;

  static JobState of(Job job) {
    if (condition(job, "Complete").isPresent()) {
      return SUCCEEDED;
    }
    if (condition(job, "Failed").isPresent()) {
      return FAILED;
    }
    return RUNNING;
  }

  static Optional<String> completionTime(Job job) {
    var status = job.getStatus();
    if (status != null && status.getCompletionTime() != null) {
      return Optional.of(status.getCompletionTime());
    }
    return condition(job, "Failed")
        .or(() -> condition(job, "Complete"))
        .map(JobCondition::getLastTransitionTime);
  }

  static String failureReason(Job job) {
    return condition(job, "Failed")
        .map(
            c ->
                (c.getReason() == null ? "Failed" : c.getReason())
                    + (c.getMessage() == null ? "" : ": " + c.getMessage()))
        .orElse("the Job failed");
  }

  private static Optional<JobCondition> condition(Job job, String type) {
    var status = job.getStatus();
    if (status == null || status.getConditions() == null) {
      return Optional.empty();
    }
    return status.getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }
}
