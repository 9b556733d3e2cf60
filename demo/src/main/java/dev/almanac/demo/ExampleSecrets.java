package dev.almanac.demo;

import dev.almanac.testbed.S3Server;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The two Secrets the examples name: the S3 keys of the demo's S3 server and MLflow credentials
 * (empty: the demo's MLflow has no auth, but the examples reference the Secret as a real install
 * would).
 */
final class ExampleSecrets {
  private ExampleSecrets() {}

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
