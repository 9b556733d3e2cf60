package dev.almanac.operator.deployment;

import dev.almanac.api.v1alpha1.common.ArtifactsSpec;
import dev.almanac.api.v1alpha1.common.MlflowSpec;
import dev.almanac.api.v1alpha1.common.S3ArtifactStore;
import dev.almanac.api.v1alpha1.common.SecretRef;
import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.api.v1alpha1.deployment.ModelDeploymentSpec;
import dev.almanac.api.v1alpha1.deployment.ModelRef;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** Test builders of ModelDeployments. */
final class ModelDeployments {
  private ModelDeployments() {}

  static ModelDeployment followingAlias(String namespace, String name, String model, String alias) {
    var ref = new ModelRef();
    ref.setRegisteredModel(model);
    ref.setAlias(alias);
    return of(namespace, name, ref);
  }

  static ModelDeployment of(String namespace, String name, ModelRef ref) {
    var md = new ModelDeployment();
    md.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(namespace)
            .withName(name)
            .withGeneration(1L)
            .withUid("uid-" + name)
            .build());
    var spec = new ModelDeploymentSpec();
    spec.setModel(ref);
    var mlflow = new MlflowSpec();
    mlflow.setTrackingUri("http://mlflow.mlflow:5000");
    mlflow.setRegisteredModel(ref.getRegisteredModel());
    spec.setMlflow(mlflow);
    spec.setReplicas(2);
    md.setSpec(spec);
    return md;
  }

  static ModelDeployment withCredentials(ModelDeployment md) {
    md.getSpec().getMlflow().setCredentialsSecretRef(new SecretRef("mlflow-creds"));
    var s3 = new S3ArtifactStore();
    s3.setBucket("models");
    s3.setEndpoint("http://minio.minio:9000");
    s3.setRegion("eu-west-1");
    s3.setCredentialsSecretRef(new SecretRef("s3-creds"));
    var artifacts = new ArtifactsSpec();
    artifacts.setS3(s3);
    md.getSpec().setArtifacts(artifacts);
    return md;
  }
}
