package dev.almanac.operator.deployment;

import static dev.almanac.api.v1alpha1.common.ConditionType.AVAILABLE;
import static dev.almanac.api.v1alpha1.common.ConditionType.MODEL_RESOLVED;
import static dev.almanac.api.v1alpha1.common.ConditionType.PROGRESSING;
import static dev.almanac.api.v1alpha1.common.ConditionType.READY;

import dev.almanac.api.v1alpha1.common.Conditions;
import dev.almanac.api.v1alpha1.common.Reason;
import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.api.v1alpha1.deployment.ModelDeploymentStatus;
import dev.almanac.api.v1alpha1.deployment.ServedVersion;
import dev.almanac.operator.deployment.ModelVersionResolver.Resolution;
import dev.almanac.registry.RegistryUnavailableException;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the whole next status from the previous one and what this reconcile observed (Keycloak's
 * status aggregator pattern). Pure: no client, no registry, so every branch is unit-testable.
 */
public final class DeploymentStatusAggregator {
  /** Served versions kept in {@code status.history}. */
  public static final int HISTORY_LIMIT = 10;

  public static final String INITIAL = "Initial";
  public static final String SPEC_CHANGED = "SpecChanged";
  public static final String PROMOTED = "Promoted";
  public static final String ROLLED_BACK = "RolledBack";

  private final Clock clock;

  public DeploymentStatusAggregator(Clock clock) {
    this.clock = clock;
  }

  /**
   * @param resolution this reconcile's answer of the registry
   * @param rollout the server Deployment, absent before the first version ever resolved
   * @param monitoringProblem why requested monitoring objects could not be created, if so
   */
  public ModelDeploymentStatus next(
      ModelDeployment md,
      Resolution resolution,
      Optional<RolloutObservation> rollout,
      Optional<String> monitoringProblem) {
    var previous = md.getStatus() == null ? new ModelDeploymentStatus() : md.getStatus();
    var generation = md.getMetadata().getGeneration();
    var next = new ModelDeploymentStatus();
    List<Condition> conditions = previous.getConditions();

    String resolved;
    if (resolution instanceof Resolution.Resolved r) {
      resolved = r.version();
      conditions =
          Conditions.set(
              conditions,
              MODEL_RESOLVED,
              true,
              Reason.ModelResolved,
              r.reference()
                  + " of "
                  + md.getSpec().getModel().getRegisteredModel()
                  + " is version "
                  + r.version(),
              generation,
              clock);
    } else {
      resolved = previous.getResolvedVersion(); // keep serving what we had
      var notFound = (Resolution.NotFound) resolution;
      var message = notFound.message() + (resolved == null ? "" : "; keeping version " + resolved);
      conditions =
          Conditions.set(
              conditions, MODEL_RESOLVED, false, notFound.reason(), message, generation, clock);
    }
    next.setResolvedVersion(resolved);

    var serving = previous.getServingVersion();
    if (rollout.isPresent()
        && rollout.get().complete()
        && rollout.get().templateVersion() != null) {
      serving = rollout.get().templateVersion();
    }
    next.setServingVersion(serving);
    next.setHistory(history(md, previous, serving));

    var ready = rollout.map(RolloutObservation::readyReplicas).orElse(0);
    var desired = rollout.map(RolloutObservation::desiredReplicas).orElse(0);
    next.setReplicas(rollout.map(RolloutObservation::replicas).orElse(0));
    next.setReadyReplicas(ready);
    next.setSelector(ServerNames.selectorString(md));
    next.setUrl(ServerNames.url(md));

    var available = rollout.isPresent() && (ready > 0 || desired == 0);
    conditions =
        Conditions.set(
            conditions,
            AVAILABLE,
            available,
            available ? Reason.Available : Reason.Unavailable,
            rollout.isEmpty()
                ? "no model server yet: no version resolved"
                : ready + " of " + desired + " pods ready",
            generation,
            clock);

    var settled =
        rollout.isPresent()
            && rollout.get().complete()
            && resolved != null
            && resolved.equals(rollout.get().templateVersion());
    Reason progress;
    String progressMessage;
    if (rollout.isEmpty()) {
      progress = Reason.ModelNotFound;
      progressMessage = "nothing to roll out before a version resolves";
    } else if (!settled && rollout.get().podProblem() != null) {
      progress = Reason.ImageUnavailable;
      progressMessage =
          "pods of version "
              + rollout.get().templateVersion()
              + " cannot start: "
              + rollout.get().podProblem()
              + (serving == null ? "" : "; version " + serving + " keeps serving");
    } else if (rollout.get().stalled()) {
      progress = Reason.RolloutStalled;
      progressMessage =
          "rollout of version "
              + rollout.get().templateVersion()
              + " exceeded its progress deadline ("
              + rollout.get().readyReplicas()
              + " of "
              + desired
              + " pods ready)";
    } else if (settled) {
      progress = Reason.RolloutComplete;
      progressMessage = "version " + resolved + " runs on all " + desired + " pods";
    } else {
      progress = Reason.Progressing;
      progressMessage =
          "rolling out version "
              + resolved
              + ": "
              + rollout.get().updatedReplicas()
              + " of "
              + desired
              + " pods updated, "
              + rollout.get().readyReplicas()
              + " ready";
    }
    conditions =
        Conditions.set(
            conditions,
            PROGRESSING,
            progress == Reason.Progressing,
            progress,
            progressMessage,
            generation,
            clock);

    var resolvedOk = resolution instanceof Resolution.Resolved;
    Reason readyReason;
    String readyMessage;
    if (!resolvedOk) {
      readyReason = ((Resolution.NotFound) resolution).reason();
      readyMessage =
          Conditions.find(conditions, MODEL_RESOLVED).map(Condition::getMessage).orElse("");
    } else if (!available) {
      readyReason = Reason.Unavailable;
      readyMessage = "no ready model server pod";
    } else if (!settled) {
      readyReason = progress;
      readyMessage = progressMessage;
    } else {
      readyReason = Reason.Reconciled;
      readyMessage = "serving version " + serving + " at " + next.getUrl();
    }
    if (monitoringProblem.isPresent()) {
      readyMessage = readyMessage + "; " + monitoringProblem.get();
    }
    conditions =
        Conditions.set(
            conditions,
            READY,
            readyReason == Reason.Reconciled,
            readyReason,
            readyMessage,
            generation,
            clock);
    next.setConditions(conditions);
    next.setObservedGeneration(generation);
    return next;
  }

  /**
   * A spec that cannot be reconciled until it (or the operator's defaults) change: Ready False,
   * InvalidSpec.
   */
  public ModelDeploymentStatus invalid(
      ModelDeployment md, ModelDeploymentStatus previous, String message) {
    var generation = md.getMetadata().getGeneration();
    previous.setConditions(
        Conditions.set(
            previous.getConditions(),
            READY,
            false,
            Reason.InvalidSpec,
            message,
            generation,
            clock));
    previous.setObservedGeneration(generation);
    return previous;
  }

  /** The status after a failed reconcile, with the condition, reason and message that tell why. */
  public record Failure(ModelDeploymentStatus status, Reason reason, String message) {}

  /**
   * An unreachable registry is not the model's fault: ModelResolved becomes Unknown while Ready and
   * the Deployment stay as they are. Anything else (an apply the API server refused) stalls the
   * rollout.
   */
  public Failure failed(ModelDeployment md, ModelDeploymentStatus previous, Exception e) {
    var generation = md.getMetadata().getGeneration();
    // JOSDK hands the reconciler's exception over wrapped: look for the cause, not the wrapper
    var unreachable = causeOfType(e, RegistryUnavailableException.class);
    if (unreachable.isPresent()) {
      var message =
          "cannot reach the model registry ("
              + unreachable.get().getMessage()
              + "); "
              + (previous.getServingVersion() == null
                  ? "nothing is served yet"
                  : "version " + previous.getServingVersion() + " keeps serving")
              + ", retrying";
      previous.setConditions(
          Conditions.set(
              previous.getConditions(),
              MODEL_RESOLVED,
              "Unknown",
              Reason.MlflowUnreachable,
              message,
              generation,
              clock));
      return new Failure(previous, Reason.MlflowUnreachable, message);
    }
    var message = "could not apply the model server objects: " + innermostMessage(e);
    previous.setConditions(
        Conditions.set(
            previous.getConditions(),
            READY,
            false,
            Reason.RolloutStalled,
            message,
            generation,
            clock));
    return new Failure(previous, Reason.RolloutStalled, message);
  }

  private static <T extends Throwable> Optional<T> causeOfType(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }

  /** The deepest message in the cause chain: wrappers only repeat it behind a class name. */
  private static String innermostMessage(Throwable e) {
    String message = e.getMessage();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    return message == null ? e.getClass().getSimpleName() : message;
  }

  /**
   * Newest first; a version enters when it starts serving, so one that never got ready never does.
   */
  List<ServedVersion> history(ModelDeployment md, ModelDeploymentStatus previous, String serving) {
    var history =
        new ArrayList<ServedVersion>(
            previous.getHistory() == null ? List.of() : previous.getHistory());
    var before = previous.getServingVersion();
    if (serving == null || serving.equals(before)) {
      return history.isEmpty() ? null : history;
    }
    var entry = new ServedVersion();
    entry.setVersion(serving);
    entry.setTime(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
    entry.setReason(reasonOfChange(md, before, serving));
    history.add(0, entry);
    return history.size() > HISTORY_LIMIT
        ? new ArrayList<>(history.subList(0, HISTORY_LIMIT))
        : history;
  }

  /**
   * A pinned version can only change through the spec; a followed alias or stage moving to a higher
   * version is a promotion, to a lower one a rollback (registry versions only grow).
   */
  static String reasonOfChange(ModelDeployment md, String before, String now) {
    if (before == null) {
      return INITIAL;
    }
    if (md.getSpec().getModel().getVersion() != null) {
      return SPEC_CHANGED;
    }
    try {
      return Long.parseLong(now) > Long.parseLong(before) ? PROMOTED : ROLLED_BACK;
    } catch (NumberFormatException e) {
      return Objects.equals(before, now) ? SPEC_CHANGED : PROMOTED;
    }
  }
}
