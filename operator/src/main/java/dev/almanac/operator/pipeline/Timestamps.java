package dev.almanac.operator.pipeline;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** RFC 3339 times as status and Job fields hold them. */
final class Timestamps {
  private Timestamps() {}

  /**
   * The instant, or empty for an absent or unreadable value (status written by hand, an old
   * format).
   */
  static Optional<Instant> parse(String time) {
    if (time == null || time.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(time));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
