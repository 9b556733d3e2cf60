package dev.almanac.registry;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach the S3 artifact store. Without an endpoint the AWS default endpoint of the region is
 * used; without keys the AWS default credentials chain (env, profile, web identity, instance role).
 * {@code toString()} never shows the secret.
 *
 * @param pathStyle bucket in the path ({@code http://host/bucket/key}), as MinIO and moto want
 */
public record S3Settings(
    Optional<URI> endpoint,
    String region,
    boolean pathStyle,
    Optional<String> accessKey,
    Optional<String> secretKey,
    Optional<String> sessionToken,
    Duration timeout) {

  public static final String ENDPOINT = "MLFLOW_S3_ENDPOINT_URL";
  public static final String REGION = "AWS_REGION";
  public static final String DEFAULT_REGION_ENV = "AWS_DEFAULT_REGION";
  public static final String ACCESS_KEY = "AWS_ACCESS_KEY_ID";
  public static final String SECRET_KEY = "AWS_SECRET_ACCESS_KEY";
  public static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";
  public static final String PATH_STYLE = "ALMANAC_S3_PATH_STYLE";
  public static final String DEFAULT_REGION = "us-east-1";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  public S3Settings {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(accessKey, "accessKey");
    Objects.requireNonNull(secretKey, "secretKey");
    Objects.requireNonNull(sessionToken, "sessionToken");
    Objects.requireNonNull(timeout, "timeout");
    if (accessKey.isPresent() != secretKey.isPresent()) {
      throw new IllegalArgumentException(
          "set both " + ACCESS_KEY + " and " + SECRET_KEY + " or neither");
    }
    endpoint.ifPresent(
        uri -> {
          if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException(
                "S3 endpoint must be http(s)://..., got '" + uri + "'");
          }
        });
  }

  /** A static-key configuration for an S3-compatible server (path style). */
  public static S3Settings of(URI endpoint, String region, String accessKey, String secretKey) {
    return new S3Settings(
        Optional.of(endpoint),
        region,
        true,
        Optional.of(accessKey),
        Optional.of(secretKey),
        Optional.empty(),
        DEFAULT_TIMEOUT);
  }

  /**
   * Reads {@code MLFLOW_S3_ENDPOINT_URL}, {@code AWS_REGION} (else {@code AWS_DEFAULT_REGION}, else
   * us-east-1), {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}/{@code AWS_SESSION_TOKEN}
   * and {@code ALMANAC_S3_PATH_STYLE} (default: true when an endpoint is set, as for MinIO).
   */
  public static S3Settings fromEnv(Map<String, String> env) {
    Optional<URI> endpoint =
        MlflowSettings.value(env, ENDPOINT)
            .map(
                s -> {
                  try {
                    return URI.create(s);
                  } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                        ENDPOINT + " is not a URI: " + e.getMessage(), e);
                  }
                });
    var region =
        MlflowSettings.value(env, REGION)
            .or(() -> MlflowSettings.value(env, DEFAULT_REGION_ENV))
            .orElse(DEFAULT_REGION);
    boolean pathStyle =
        MlflowSettings.value(env, PATH_STYLE)
            .map(s -> parseBoolean(PATH_STYLE, s))
            .orElse(endpoint.isPresent());
    return new S3Settings(
        endpoint,
        region,
        pathStyle,
        MlflowSettings.value(env, ACCESS_KEY),
        MlflowSettings.value(env, SECRET_KEY),
        MlflowSettings.value(env, SESSION_TOKEN),
        DEFAULT_TIMEOUT);
  }

  public S3Settings withEndpoint(URI endpoint) {
    return new S3Settings(
        Optional.of(endpoint), region, pathStyle, accessKey, secretKey, sessionToken, timeout);
  }

  public S3Settings withTimeout(Duration timeout) {
    return new S3Settings(endpoint, region, pathStyle, accessKey, secretKey, sessionToken, timeout);
  }

  private static boolean parseBoolean(String name, String value) {
    return switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default ->
          throw new IllegalArgumentException(name + " must be true or false, got '" + value + "'");
    };
  }

  @Override
  public String toString() {
    return "S3Settings[endpoint="
        + endpoint.map(URI::toString).orElse("(AWS default)")
        + ", region="
        + region
        + ", pathStyle="
        + pathStyle
        + ", accessKey="
        + accessKey.orElse("(default chain)")
        + ", secretKey="
        + (secretKey.isPresent() ? "***" : "(none)")
        + ", sessionToken="
        + (sessionToken.isPresent() ? "***" : "(none)")
        + ", timeout="
        + timeout
        + "]";
  }
}
