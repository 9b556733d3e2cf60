package dev.almanac.trainer.pipeline;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How often and how patiently a data download is tried: up to {@code attempts} tries with
 * exponential backoff ({@code firstDelay}, doubling, at most {@code maxDelay}). Only a {@link
 * Transient} failure is tried again (connection error, timeout, HTTP 5xx or 429); anything else
 * (404, 403, a bad key) fails at once, since asking again cannot change the answer.
 */
public record DownloadRetry(int attempts, Duration firstDelay, Duration maxDelay) {
  /** What a training Job uses: 3 attempts, 2 s then 4 s apart. */
  public static final DownloadRetry DEFAULT =
      new DownloadRetry(3, Duration.ofSeconds(2), Duration.ofSeconds(30));

  public DownloadRetry {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be >= 1, got " + attempts);
    }
    Objects.requireNonNull(firstDelay, "firstDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
      throw new IllegalArgumentException(
          "need 0 <= firstDelay <= maxDelay, got " + firstDelay + " and " + maxDelay);
    }
  }

  /**
   * A failure that another attempt may not have: its message says what happened on the last try.
   */
  public static final class Transient extends RuntimeException {
    public Transient(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Runs {@code attempt} until it returns or fails with something other than {@link Transient}, at
   * most {@link #attempts} times.
   *
   * @param notice told of each failed attempt that will be tried again ("attempt 1 of 3 failed:
   *     ...")
   * @throws RunFailure ({@link ExitCode#DATA_ERROR}) "{@code what}: {@code <last failure>} after N
   *     attempts" when every attempt failed transiently; a non-transient failure propagates
   *     unchanged
   */
  public <T> T get(String what, Consumer<String> notice, CheckedSupplier<T> attempt) {
    var policy =
        RetryPolicy.<T>builder()
            .handle(Transient.class)
            .withMaxAttempts(attempts)
            .onFailedAttempt(
                e -> {
                  if (e.getAttemptCount() < attempts
                      && e.getLastException() instanceof Transient t) {
                    notice.accept(
                        "attempt "
                            + e.getAttemptCount()
                            + " of "
                            + attempts
                            + " failed: "
                            + t.getMessage());
                  }
                });
    if (firstDelay.isZero()) {
      policy.withDelay(Duration.ZERO);
    } else if (firstDelay.equals(maxDelay)) {
      policy.withDelay(firstDelay);
    } else {
      policy.withBackoff(firstDelay, maxDelay);
    }
    try {
      return Failsafe.with(policy.build()).get(attempt);
    } catch (Transient last) {
      throw new RunFailure(
          ExitCode.DATA_ERROR,
          what
              + ": "
              + last.getMessage()
              + " after "
              + attempts
              + (attempts == 1 ? " attempt" : " attempts"),
          last);
    }
  }
}
