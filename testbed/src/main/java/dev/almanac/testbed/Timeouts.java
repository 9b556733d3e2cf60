package dev.almanac.testbed;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;

/**
 * The one factor every test wait is scaled by, so a suite that passes on an idle machine also
 * passes on a busy one (CI boxes run other builds beside it). A wait only bounds how long a test
 * may take to fail; a longer bound never makes a passing test slower.
 *
 * <p>The factor is {@code ALMANAC_TIMEOUT_FACTOR} (environment) or {@code almanac.timeout.factor}
 * (system property) when set; otherwise it follows the machine's load when the tests start: one
 * plus the 1-minute load average per CPU, between 1 and {@value #MAX_AUTOMATIC_FACTOR}.
 */
public final class Timeouts {
  static final double MAX_AUTOMATIC_FACTOR = 4.0;
  private static final double FACTOR = factor();

  private Timeouts() {}

  /** {@code base} times the shared factor. */
  public static Duration scaled(Duration base) {
    return Duration.ofMillis(Math.round(base.toMillis() * FACTOR));
  }

  /** {@code seconds} times the shared factor. */
  public static Duration seconds(long seconds) {
    return scaled(Duration.ofSeconds(seconds));
  }

  public static double factor() {
    var configured = System.getenv("ALMANAC_TIMEOUT_FACTOR");
    if (configured == null || configured.isBlank()) {
      configured = System.getProperty("almanac.timeout.factor");
    }
    if (configured != null && !configured.isBlank()) {
      return parse(configured);
    }
    var os = ManagementFactory.getOperatingSystemMXBean();
    return fromLoad(os.getSystemLoadAverage(), os.getAvailableProcessors());
  }

  static double parse(String configured) {
    double value;
    try {
      value = Double.parseDouble(configured.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "ALMANAC_TIMEOUT_FACTOR must be a number >= 1, got '" + configured + "'", e);
    }
    if (!(value >= 1.0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          "ALMANAC_TIMEOUT_FACTOR must be a number >= 1, got '" + configured + "'");
    }
    return value;
  }

  /** A negative load average means the platform does not report one. */
  static double fromLoad(double loadAverage, int cpus) {
    if (loadAverage < 0 || cpus <= 0) {
      return 1.0;
    }
    return Math.min(MAX_AUTOMATIC_FACTOR, 1.0 + loadAverage / cpus);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "Timeouts(x%.2f)", FACTOR);
  }
}
