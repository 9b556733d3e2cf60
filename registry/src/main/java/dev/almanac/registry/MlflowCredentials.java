package dev.almanac.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/** How to authenticate to MLflow. {@code toString()} never shows the secret. */
public sealed interface MlflowCredentials {

  /** The value of the {@code Authorization} header. */
  String authorizationHeader();

  /** HTTP basic auth ({@code MLFLOW_TRACKING_USERNAME} / {@code MLFLOW_TRACKING_PASSWORD}). */
  record Basic(String username, String password) implements MlflowCredentials {
    public Basic {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String authorizationHeader() {
      var pair = username + ":" + password;
      return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return "Basic[username=" + username + ", password=***]";
    }
  }

  /** Bearer token ({@code MLFLOW_TRACKING_TOKEN}). */
  record Bearer(String token) implements MlflowCredentials {
    public Bearer {
      Objects.requireNonNull(token, "token");
    }

    @Override
    public String authorizationHeader() {
      return "Bearer " + token;
    }

    @Override
    public String toString() {
      return "Bearer[token=***]";
    }
  }
}
