package dev.almanac.demo;

import dev.almanac.testbed.PostgresServer;
import dev.almanac.testbed.S3Server;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The two Secrets the examples name: the S3 keys of the demo's S3 server and MLflow credentials
 * (empty: the demo's MLflow has no auth, but the examples reference the Secret as a real install
 * would).
 */
final class ExampleSecrets {
  /** The Secret a pipeline's {@code batchPrediction.output.postgres} names in the demo. */
  static final String FORECASTS_DB = "forecasts-db";

  private ExampleSecrets() {}

  /** The demo PostgreSQL's login, with the keys the postgres output reads. */
  static void applyForecastsDb(KubernetesClient client, String namespace, PostgresServer pg) {
    client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(FORECASTS_DB)
                .endMetadata()
                .addToStringData("username", pg.user())
                .addToStringData("password", pg.password())
                .build())
        .serverSideApply();
  }

  static void apply(KubernetesClient client, String namespace, S3Server s3) {
    var secrets = client.secrets().inNamespace(namespace);
    secrets
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("s3-credentials")
                .endMetadata()
                .addToStringData("AWS_ACCESS_KEY_ID", s3.accessKey())
                .addToStringData("AWS_SECRET_ACCESS_KEY", s3.secretKey())
                .build())
        .serverSideApply();
    secrets
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("mlflow-credentials")
                .endMetadata()
                .build())
        .serverSideApply();
  }
}
