package dev.almanac.registry;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach MLflow: tracking URI, credentials, timeouts, retries. The operator, trainer and
 * model server all build it with {@link #fromEnv(Map)}, so one set of environment variables
 * configures them.
 *
 * @param maxAttempts attempts per idempotent call (1 = no retry); non-idempotent calls are tried
 *     once
 */
public record MlflowSettings(
    URI trackingUri,
    Optional<MlflowCredentials> credentials,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxAttempts,
    Duration initialBackoff) {

  public static final String TRACKING_URI = "MLFLOW_TRACKING_URI";
  public static final String USERNAME = "MLFLOW_TRACKING_USERNAME";
  public static final String PASSWORD = "MLFLOW_TRACKING_PASSWORD";
  public static final String TOKEN = "MLFLOW_TRACKING_TOKEN";

  /** Seconds per request, as in the Python client. */
  public static final String REQUEST_TIMEOUT = "MLFLOW_HTTP_REQUEST_TIMEOUT";

  /** Retries after the first attempt, as in the Python client. */
  public static final String MAX_RETRIES = "MLFLOW_HTTP_REQUEST_MAX_RETRIES";

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);

  public MlflowSettings {
    Objects.requireNonNull(trackingUri, "trackingUri");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    var scheme = trackingUri.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException(
          "MLflow tracking URI must be http(s)://..., got '" + trackingUri + "'");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
    if (connectTimeout.isNegative()
        || connectTimeout.isZero()
        || requestTimeout.isNegative()
        || requestTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
  }

  /** Defaults for everything but the URI; no credentials. */
  public static MlflowSettings of(URI trackingUri) {
    return new MlflowSettings(
        trackingUri,
        Optional.empty(),
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_MAX_ATTEMPTS,
        DEFAULT_INITIAL_BACKOFF);
  }

  /**
   * Reads {@code MLFLOW_TRACKING_URI} (required), {@code MLFLOW_TRACKING_TOKEN} (bearer, wins) or
   * {@code MLFLOW_TRACKING_USERNAME}+{@code MLFLOW_TRACKING_PASSWORD} (basic), {@code
   * MLFLOW_HTTP_REQUEST_TIMEOUT} (seconds) and {@code MLFLOW_HTTP_REQUEST_MAX_RETRIES}.
   */
  public static MlflowSettings fromEnv(Map<String, String> env) {
    var uri =
        value(env, TRACKING_URI)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        TRACKING_URI + " is not set (e.g. http://mlflow:5000)"));
    URI trackingUri;
    try {
      trackingUri = URI.create(uri);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(TRACKING_URI + " is not a URI: " + e.getMessage(), e);
    }
    Optional<MlflowCredentials> credentials = Optional.empty();
    var token = value(env, TOKEN);
    var user = value(env, USERNAME);
    var password = value(env, PASSWORD);
    if (token.isPresent()) {
      credentials = Optional.of(new MlflowCredentials.Bearer(token.get()));
    } else if (user.isPresent() || password.isPresent()) {
      if (user.isEmpty() || password.isEmpty()) {
        throw new IllegalArgumentException(
            "set both "
                + USERNAME
                + " and "
                + PASSWORD
                + " (only "
                + (user.isPresent() ? USERNAME : PASSWORD)
                + " is set)");
      }
      credentials = Optional.of(new MlflowCredentials.Basic(user.get(), password.get()));
    }
    var timeout =
        value(env, REQUEST_TIMEOUT)
            .map(s -> Duration.ofSeconds(positiveInt(REQUEST_TIMEOUT, s)))
            .orElse(DEFAULT_REQUEST_TIMEOUT);
    int attempts =
        value(env, MAX_RETRIES)
            .map(s -> nonNegativeInt(MAX_RETRIES, s) + 1)
            .orElse(DEFAULT_MAX_ATTEMPTS);
    return new MlflowSettings(
        trackingUri,
        credentials,
        DEFAULT_CONNECT_TIMEOUT,
        timeout,
        attempts,
        DEFAULT_INITIAL_BACKOFF);
  }

  public MlflowSettings withCredentials(MlflowCredentials credentials) {
    return new MlflowSettings(
        trackingUri,
        Optional.of(credentials),
        connectTimeout,
        requestTimeout,
        maxAttempts,
        initialBackoff);
  }

  public MlflowSettings withTimeouts(Duration connect, Duration request) {
    return new MlflowSettings(
        trackingUri, credentials, connect, request, maxAttempts, initialBackoff);
  }

  public MlflowSettings withRetries(int maxAttempts, Duration initialBackoff) {
    return new MlflowSettings(
        trackingUri, credentials, connectTimeout, requestTimeout, maxAttempts, initialBackoff);
  }

  static Optional<String> value(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::trim).filter(s -> !s.isEmpty());
  }

  private static int positiveInt(String name, String value) {
    int n = nonNegativeInt(name, value);
    if (n == 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
    return n;
  }

  private static int nonNegativeInt(String name, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a non-negative integer, got '" + value + "'", e);
    }
  }
}
