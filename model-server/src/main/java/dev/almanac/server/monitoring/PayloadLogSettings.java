package dev.almanac.server.monitoring;

import java.time.Duration;
import java.util.Map;

/**
 * Sampled request logging ({@code monitoring.payloadLogging} of a ModelDeployment, passed by the
 * operator as environment): off unless {@link #URI} is set.
 *
 * @param uri {@code s3://bucket/prefix}; each batch is one JSON-lines object below it
 * @param sampleRate fraction of requests logged, 0..1
 * @param queueCapacity records in finished batches waiting for upload; a batch that finds the queue
 *     full is dropped and counted (a request never waits)
 * @param batchRecords records per object at most (each request thread fills its own batches)
 * @param flushInterval a partial batch is written after this long
 */
public record PayloadLogSettings(
    String uri, double sampleRate, int queueCapacity, int batchRecords, Duration flushInterval) {
  public static final String URI = "ALMANAC_PAYLOAD_LOG_URI";
  public static final String SAMPLE_RATE = "ALMANAC_PAYLOAD_LOG_SAMPLE_RATE";
  public static final String QUEUE = "ALMANAC_PAYLOAD_LOG_QUEUE";
  public static final String BATCH = "ALMANAC_PAYLOAD_LOG_BATCH";
  public static final String FLUSH_SECONDS = "ALMANAC_PAYLOAD_LOG_FLUSH_SECONDS";

  public static final PayloadLogSettings OFF =
      new PayloadLogSettings(null, 0, 1, 1, Duration.ofSeconds(1));

  public PayloadLogSettings {
    if (!(sampleRate >= 0 && sampleRate <= 1)) {
      throw new IllegalArgumentException(
          SAMPLE_RATE + " must be between 0 and 1, got " + sampleRate);
    }
    if (queueCapacity < 1 || batchRecords < 1) {
      throw new IllegalArgumentException(
          QUEUE + " and " + BATCH + " must be >= 1, got " + queueCapacity + ", " + batchRecords);
    }
    if (flushInterval.isNegative() || flushInterval.isZero()) {
      throw new IllegalArgumentException(FLUSH_SECONDS + " must be > 0, got " + flushInterval);
    }
    if (uri != null) {
      uri = uri.strip();
      if (!uri.startsWith("s3://") || uri.length() <= "s3://".length()) {
        throw new IllegalArgumentException(URI + " must be s3://bucket/prefix, got '" + uri + "'");
      }
      uri = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }
  }

  public boolean enabled() {
    return uri != null && sampleRate > 0;
  }

  /** Reads the {@code ALMANAC_PAYLOAD_LOG_*} variables; bad values fail naming the variable. */
  public static PayloadLogSettings fromEnv(Map<String, String> env) {
    String uri = env.get(URI);
    if (uri == null || uri.isBlank()) {
      return OFF;
    }
    return new PayloadLogSettings(
        uri,
        number(env, SAMPLE_RATE, 1.0),
        (int) number(env, QUEUE, 100_000),
        (int) number(env, BATCH, 10_000),
        Duration.ofMillis((long) (1000 * number(env, FLUSH_SECONDS, 10))));
  }

  private static double number(Map<String, String> env, String key, double dflt) {
    String v = env.get(key);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      return Double.parseDouble(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": '" + v + "' is not a number");
    }
  }
}
