package dev.almanac.operator.pipeline;

import java.time.Duration;
import java.util.Optional;

/**
 * What a step tells the pass about time: nothing ({@link #proceed()}), or that the pipeline must be
 * looked at again after a delay (the next schedule time). The pass requeues after the earliest
 * delay any step asked for. Every step proceeds: a spec the pass cannot work on throws {@link
 * InvalidSpecException} before the first step.
 */
record Progress(Optional<Duration> requeueAfter) {
  private static final Progress PROCEED = new Progress(Optional.empty());

  static Progress proceed() {
    return PROCEED;
  }

  static Progress requeueAfter(Duration delay) {
    return new Progress(Optional.of(delay));
  }

  /** The earlier of two requeue requests. */
  Progress and(Progress other) {
    if (requeueAfter.isEmpty()) {
      return other;
    }
    if (other.requeueAfter.isEmpty()
        || requeueAfter.get().compareTo(other.requeueAfter.get()) <= 0) {
      return this;
    }
    return other;
  }
}
