package dev.almanac.operator.pipeline;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/**
 * A five-field cron schedule in an IANA time zone, with CronJob semantics. Parsing uses cron-utils
 * (Unix definition): the CRD's CEL rule only checks the shape, this rejects values such as {@code
 * 61 * * * *}.
 */
public final class RunSchedule {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly",
          "0 0 1 1 *",
          "@annually",
          "0 0 1 1 *",
          "@monthly",
          "0 0 1 * *",
          "@weekly",
          "0 0 * * 0",
          "@daily",
          "0 0 * * *",
          "@hourly",
          "0 * * * *");

  /** Enough to count the runs missed in a long outage without looping for ever. */
  private static final int MAX_COUNTED = 1000;

  private final String expression;
  private final ZoneId zone;
  private final ExecutionTime execution;

  private RunSchedule(String expression, ZoneId zone, ExecutionTime execution) {
    this.expression = expression;
    this.zone = zone;
    this.execution = execution;
  }

  /** Throws {@link InvalidSpecException} naming {@code schedule} or {@code timeZone}. */
  public static RunSchedule parse(String schedule, String timeZone) {
    ZoneId zone;
    try {
      zone = ZoneId.of(timeZone == null || timeZone.isBlank() ? "Etc/UTC" : timeZone.trim());
    } catch (DateTimeException e) {
      throw new InvalidSpecException(
          "timeZone",
          "unknown time zone '" + timeZone + "' (use an IANA name such as Europe/Berlin)");
    }
    var cron = MACROS.getOrDefault(schedule.trim(), schedule.trim());
    try {
      var parsed = PARSER.parse(cron);
      parsed.validate();
      return new RunSchedule(schedule, zone, ExecutionTime.forCron(parsed));
    } catch (IllegalArgumentException e) {
      throw new InvalidSpecException(
          "schedule", "invalid cron expression '" + schedule + "': " + e.getMessage());
    }
  }

  public String expression() {
    return expression;
  }

  /** The first run time strictly after {@code after}. */
  public Optional<Instant> next(Instant after) {
    return execution.nextExecution(after.atZone(zone)).map(t -> t.toInstant());
  }

  /** Run times in {@code (after, upTo]}: the newest one and how many there were. */
  public Due due(Instant after, Instant upTo) {
    var latest =
        execution
            .lastExecution(upTo.plusSeconds(1).atZone(zone))
            .map(t -> t.toInstant())
            .filter(t -> t.isAfter(after) && !t.isAfter(upTo));
    if (latest.isEmpty()) {
      return new Due(Optional.empty(), 0);
    }
    int count = 0;
    var t = next(after);
    while (t.isPresent() && !t.get().isAfter(upTo) && count < MAX_COUNTED) {
      count++;
      t = next(t.get());
    }
    return new Due(latest, count);
  }

  /** Seconds between the next two runs after {@code from} (for the schedule-interval gauge). */
  public Optional<Duration> interval(Instant from) {
    var first = next(from);
    var second = first.flatMap(this::next);
    return second.map(s -> Duration.between(first.get(), s));
  }

  /**
   * @param count how many run times fell into the window (at most 1000 are counted)
   */
  public record Due(Optional<Instant> latest, int count) {}
}
