package dev.almanac.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

  @Test
  void mlflowFromEnvWithBasicAuthAndPythonClientKnobs() {
    var settings =
        MlflowSettings.fromEnv(
            Map.of(
                "MLFLOW_TRACKING_URI", "http://mlflow:5000",
                "MLFLOW_TRACKING_USERNAME", "alice",
                "MLFLOW_TRACKING_PASSWORD", "s3cr3t",
                "MLFLOW_HTTP_REQUEST_TIMEOUT", "12",
                "MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0"));
    assertThat(settings.trackingUri()).isEqualTo(URI.create("http://mlflow:5000"));
    assertThat(settings.credentials()).contains(new MlflowCredentials.Basic("alice", "s3cr3t"));
    assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(12));
    assertThat(settings.maxAttempts()).isEqualTo(1);
    assertThat(settings.credentials().get().authorizationHeader())
        .isEqualTo("Basic YWxpY2U6czNjcjN0");
  }

  @Test
  void tokenWinsOverBasicAuth() {
    var settings =
        MlflowSettings.fromEnv(
            Map.of(
                "MLFLOW_TRACKING_URI",
                "https://mlflow.example.com/",
                "MLFLOW_TRACKING_TOKEN",
                "tok-123",
                "MLFLOW_TRACKING_USERNAME",
                "alice",
                "MLFLOW_TRACKING_PASSWORD",
                "pw"));
    assertThat(settings.credentials()).contains(new MlflowCredentials.Bearer("tok-123"));
    assertThat(settings.credentials().get().authorizationHeader()).isEqualTo("Bearer tok-123");
  }

  @Test
  void defaultsWithoutOptionalVariables() {
    var settings = MlflowSettings.fromEnv(Map.of("MLFLOW_TRACKING_URI", "http://localhost:5000"));
    assertThat(settings.credentials()).isEmpty();
    assertThat(settings.requestTimeout()).isEqualTo(MlflowSettings.DEFAULT_REQUEST_TIMEOUT);
    assertThat(settings.connectTimeout()).isEqualTo(MlflowSettings.DEFAULT_CONNECT_TIMEOUT);
    assertThat(settings.maxAttempts()).isEqualTo(MlflowSettings.DEFAULT_MAX_ATTEMPTS);
  }

  @Test
  void secretsNeverAppearInToString() {
    var settings =
        MlflowSettings.of(URI.create("http://m:5000"))
            .withCredentials(new MlflowCredentials.Basic("bob", "hunter2"));
    assertThat(settings.toString()).contains("bob").doesNotContain("hunter2");
    assertThat(new MlflowCredentials.Bearer("tok-secret").toString()).doesNotContain("tok-secret");
    var s3 = S3Settings.of(URI.create("http://minio:9000"), "eu-west-1", "AKIA1", "very-secret");
    assertThat(s3.toString()).contains("AKIA1").doesNotContain("very-secret");
  }

  @Test
  void mlflowSettingsNameTheBadVariable() {
    assertThatThrownBy(() -> MlflowSettings.fromEnv(Map.of()))
        .hasMessageContaining("MLFLOW_TRACKING_URI is not set");
    assertThatThrownBy(
            () -> MlflowSettings.fromEnv(Map.of("MLFLOW_TRACKING_URI", "file:///tmp/mlruns")))
        .hasMessageContaining("must be http(s)");
    assertThatThrownBy(
            () ->
                MlflowSettings.fromEnv(
                    Map.of("MLFLOW_TRACKING_URI", "http://m", "MLFLOW_TRACKING_USERNAME", "a")))
        .hasMessageContaining("MLFLOW_TRACKING_PASSWORD");
    assertThatThrownBy(
            () ->
                MlflowSettings.fromEnv(
                    Map.of(
                        "MLFLOW_TRACKING_URI", "http://m", "MLFLOW_HTTP_REQUEST_TIMEOUT", "soon")))
        .hasMessageContaining("MLFLOW_HTTP_REQUEST_TIMEOUT");
  }

  @Test
  void s3FromEnvForAnS3CompatibleServer() {
    var s3 =
        S3Settings.fromEnv(
            Map.of(
                "MLFLOW_S3_ENDPOINT_URL",
                "http://minio:9000",
                "AWS_ACCESS_KEY_ID",
                "ak",
                "AWS_SECRET_ACCESS_KEY",
                "sk",
                "AWS_DEFAULT_REGION",
                "eu-central-1"));
    assertThat(s3.endpoint()).contains(URI.create("http://minio:9000"));
    assertThat(s3.pathStyle()).isTrue();
    assertThat(s3.region()).isEqualTo("eu-central-1");
    assertThat(s3.accessKey()).contains("ak");
    assertThat(s3.secretKey()).contains("sk");
  }

  @Test
  void s3FromEnvForAwsUsesVirtualHostsAndTheDefaultChain() {
    var s3 =
        S3Settings.fromEnv(Map.of("AWS_REGION", "us-west-2", "AWS_DEFAULT_REGION", "eu-west-1"));
    assertThat(s3.endpoint()).isEmpty();
    assertThat(s3.pathStyle()).isFalse();
    assertThat(s3.region()).isEqualTo("us-west-2");
    assertThat(s3.accessKey()).isEmpty();
    assertThat(S3Settings.fromEnv(Map.of()).region()).isEqualTo("us-east-1");
  }

  @Test
  void s3PathStyleCanBeForcedAndIsValidated() {
    assertThat(
            S3Settings.fromEnv(
                    Map.of(
                        "MLFLOW_S3_ENDPOINT_URL",
                        "http://m:9000",
                        "ALMANAC_S3_PATH_STYLE",
                        "false"))
                .pathStyle())
        .isFalse();
    assertThatThrownBy(() -> S3Settings.fromEnv(Map.of("ALMANAC_S3_PATH_STYLE", "maybe")))
        .hasMessageContaining("ALMANAC_S3_PATH_STYLE");
    assertThatThrownBy(() -> S3Settings.fromEnv(Map.of("AWS_ACCESS_KEY_ID", "ak")))
        .hasMessageContaining("AWS_SECRET_ACCESS_KEY");
  }
}
