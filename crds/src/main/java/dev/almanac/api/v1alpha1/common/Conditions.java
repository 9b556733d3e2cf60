package dev.almanac.api.v1alpha1.common;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The only code that writes conditions. Each set condition carries the current generation; {@code
 * lastTransitionTime} moves only when {@code status} flips, so "Ready for 3d" stays true.
 */
public final class Conditions {
  private static final Comparator<Condition> BY_TYPE = Comparator.comparing(Condition::getType);

  private Conditions() {}

  public static List<Condition> set(
      List<Condition> current,
      String type,
      boolean ok,
      Reason reason,
      String message,
      Long generation,
      Clock clock) {
    return set(current, type, ok ? "True" : "False", reason, message, generation, clock);
  }

  /** Returns a new list with {@code type} set; the input is not modified. */
  public static List<Condition> set(
      List<Condition> current,
      String type,
      String status,
      Reason reason,
      String message,
      Long generation,
      Clock clock) {
    var old = current == null ? List.<Condition>of() : current;
    var previous = find(old, type);
    var since =
        previous
            .filter(p -> status.equals(p.getStatus()))
            .map(Condition::getLastTransitionTime)
            .orElse(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
    var next =
        new ConditionBuilder()
            .withType(type)
            .withStatus(status)
            .withReason(reason.name())
            .withMessage(message == null ? "" : message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(since)
            .build();
    var result = new ArrayList<Condition>();
    old.stream().filter(c -> !type.equals(c.getType())).forEach(result::add);
    result.add(next);
    result.sort(BY_TYPE);
    return result;
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }
}
