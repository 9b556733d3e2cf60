package dev.almanac.operator.deployment;

import dev.almanac.api.v1alpha1.common.ConditionType;
import dev.almanac.api.v1alpha1.common.Conditions;
import dev.almanac.api.v1alpha1.common.Reason;
import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.api.v1alpha1.deployment.ModelDeploymentStatus;
import dev.almanac.operator.deployment.ModelVersionResolver.Resolution;
import dev.almanac.operator.events.EventRecorder;
import java.util.Objects;
import java.util.Optional;

/** Events on transitions between the previous and the next status (not on every reconcile). */
final class DeploymentEvents {
  private final EventRecorder events;

  DeploymentEvents(EventRecorder events) {
    this.events = events;
  }

  void announce(
      ModelDeployment md,
      Resolution resolution,
      ModelDeploymentStatus next,
      Optional<String> monitoringProblem) {
    var previous = md.getStatus() == null ? new ModelDeploymentStatus() : md.getStatus();
    if (resolution instanceof Resolution.NotFound notFound) {
      // Repeats on every poll while missing; EventRecorder bumps the count of one Event.
      events.warning(
          md,
          notFound.reason(),
          notFound.message()
              + (previous.getResolvedVersion() == null
                  ? ""
                  : "; keeping version " + previous.getResolvedVersion()));
    } else if (resolution instanceof Resolution.Resolved r
        && !r.version().equals(previous.getResolvedVersion())) {
      events.normal(
          md,
          Reason.ModelResolved,
          r.reference()
              + " of "
              + md.getSpec().getModel().getRegisteredModel()
              + " resolves to version "
              + r.version()
              + (previous.getResolvedVersion() == null
                  ? ""
                  : " (was " + previous.getResolvedVersion() + ")"));
    }
    if (next.getServingVersion() != null
        && !next.getServingVersion().equals(previous.getServingVersion())) {
      var reason =
          next.getHistory() == null || next.getHistory().isEmpty()
              ? ""
              : " (" + next.getHistory().get(0).getReason() + ")";
      events.normal(
          md,
          Reason.RolloutComplete,
          "version " + next.getServingVersion() + " serves on all pods" + reason);
    }
    var stalledBefore =
        Conditions.find(previous.getConditions(), ConditionType.PROGRESSING)
            .map(c -> Reason.RolloutStalled.name().equals(c.getReason()))
            .orElse(false);
    var stalledNow =
        Conditions.find(next.getConditions(), ConditionType.PROGRESSING)
            .filter(c -> Reason.RolloutStalled.name().equals(c.getReason()));
    if (stalledNow.isPresent() && !stalledBefore) {
      events.warning(md, Reason.RolloutStalled, stalledNow.get().getMessage());
    }
    var imageBefore = progressReason(previous).filter(Reason.ImageUnavailable.name()::equals);
    var imageNow =
        Conditions.find(next.getConditions(), ConditionType.PROGRESSING)
            .filter(c -> Reason.ImageUnavailable.name().equals(c.getReason()));
    if (imageNow.isPresent() && imageBefore.isEmpty()) {
      events.warning(md, Reason.ImageUnavailable, imageNow.get().getMessage());
    }
    if (monitoringProblem.isPresent()
        && !Objects.equals(previous.getObservedGeneration(), md.getMetadata().getGeneration())) {
      events.warning(md, Reason.MonitoringUnavailable, monitoringProblem.get());
    }
  }

  private static Optional<String> progressReason(ModelDeploymentStatus status) {
    return Conditions.find(status.getConditions(), ConditionType.PROGRESSING)
        .map(c -> c.getReason());
  }
}
