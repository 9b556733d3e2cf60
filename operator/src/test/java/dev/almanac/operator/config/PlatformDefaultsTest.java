package dev.almanac.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.almanac.api.v1alpha1.common.ArtifactsSpec;
import dev.almanac.api.v1alpha1.common.MlflowSpec;
import dev.almanac.api.v1alpha1.common.S3ArtifactStore;
import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.api.v1alpha1.deployment.ModelDeploymentSpec;
import dev.almanac.api.v1alpha1.deployment.ModelRef;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipelineSpec;
import dev.almanac.operator.deployment.ServerDeploymentDependent;
import dev.almanac.operator.deployment.ServerPlan;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlatformDefaultsTest {
  private static final PlatformDefaults PLATFORM =
      PlatformDefaults.fromEnv(
          Map.of(
              PlatformDefaults.TRACKING_URI, "http://mlflow.mlflow:5000",
              PlatformDefaults.MLFLOW_CREDENTIALS_SECRET, "mlflow-credentials",
              PlatformDefaults.S3_BUCKET, "models",
              PlatformDefaults.S3_ENDPOINT, "http://minio.minio:9000",
              PlatformDefaults.S3_PATH_STYLE, "true",
              PlatformDefaults.S3_CREDENTIALS_SECRET, "s3-credentials"));

  /** The minimal ModelDeployment: model and replicas, nothing else. */
  private static ModelDeployment minimal() {
    var md = new ModelDeployment();
    md.getMetadata().setName("covid");
    md.getMetadata().setNamespace("ml");
    var ref = new ModelRef();
    ref.setRegisteredModel("covid-cases");
    ref.setAlias("production");
    var spec = new ModelDeploymentSpec();
    spec.setModel(ref);
    spec.setReplicas(2);
    md.setSpec(spec);
    return md;
  }

  @Test
  void aMinimalModelDeploymentGetsThePlatformsMlflowAndS3() {
    var stored = minimal();
    var md = PLATFORM.applyTo(stored);
    assertThat(md.getSpec().getMlflow().getTrackingUri()).isEqualTo("http://mlflow.mlflow:5000");
    assertThat(md.getSpec().getMlflow().getRegisteredModel()).isEqualTo("covid-cases");
    assertThat(md.getSpec().getMlflow().getCredentialsSecretRef().getName())
        .isEqualTo("mlflow-credentials");
    assertThat(md.getSpec().getArtifacts().getS3().getBucket()).isEqualTo("models");
    assertThat(PlatformDefaults.missing(md.getSpec().getMlflow())).isEmpty();
    assertThat(stored.getSpec().getMlflow()).as("the stored object is not changed").isNull();

    var env =
        ServerDeploymentDependent.desired(md, new ServerPlan("3", "server:1", md))
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getEnv();
    assertThat(env)
        .extracting(EnvVar::getName, EnvVar::getValue)
        .contains(
            org.assertj.core.groups.Tuple.tuple("MLFLOW_TRACKING_URI", "http://mlflow.mlflow:5000"),
            org.assertj.core.groups.Tuple.tuple(
                "MLFLOW_S3_ENDPOINT_URL", "http://minio.minio:9000"),
            org.assertj.core.groups.Tuple.tuple("ALMANAC_MODELS", "models:/covid-cases/3"));
  }

  @Test
  void fieldsInTheResourceWin() {
    var stored = minimal();
    var mlflow = new MlflowSpec();
    mlflow.setTrackingUri("http://team-mlflow:5000");
    stored.getSpec().setMlflow(mlflow);
    var s3 = new S3ArtifactStore();
    s3.setBucket("team-bucket");
    var artifacts = new ArtifactsSpec();
    artifacts.setS3(s3);
    stored.getSpec().setArtifacts(artifacts);

    var md = PLATFORM.applyTo(stored);
    assertThat(md.getSpec().getMlflow().getTrackingUri()).isEqualTo("http://team-mlflow:5000");
    assertThat(md.getSpec().getMlflow().getCredentialsSecretRef())
        .as("the platform's credentials never go to a server the resource names")
        .isNull();
    assertThat(md.getSpec().getArtifacts().getS3().getBucket()).isEqualTo("team-bucket");
  }

  @Test
  void aPipelineWithoutMlflowGetsThePlatformAndAModelNamedAfterIt() {
    var fp = new ForecastPipeline();
    fp.getMetadata().setName("covid");
    fp.setSpec(new ForecastPipelineSpec());
    var effective = PLATFORM.applyTo(fp);
    assertThat(effective.getSpec().getMlflow().getTrackingUri())
        .isEqualTo("http://mlflow.mlflow:5000");
    assertThat(effective.getSpec().getMlflow().getRegisteredModel()).isEqualTo("covid");
    assertThat(effective.getSpec().getArtifacts().getS3().getCredentialsSecretRef().getName())
        .isEqualTo("s3-credentials");
  }

  @Test
  void withNeitherResourceNorDefaultsTheMissingFieldIsNamed() {
    var md = PlatformDefaults.NONE.applyTo(minimal());
    assertThat(PlatformDefaults.missing(md.getSpec().getMlflow()))
        .hasValueSatisfying(
            problem ->
                assertThat("spec." + PlatformDefaults.TRACKING_URI_FIELD + " " + problem)
                    .startsWith("spec.mlflow.trackingUri is not set")
                    .contains("defaults.mlflow.trackingUri"));
  }

  @Test
  void badSettingsFailAtStartupNamingTheVariable() {
    assertThatThrownBy(
            () -> PlatformDefaults.fromEnv(Map.of(PlatformDefaults.TRACKING_URI, "mlflow:5000")))
        .hasMessageContaining(PlatformDefaults.TRACKING_URI);
    assertThatThrownBy(
            () ->
                PlatformDefaults.fromEnv(Map.of(PlatformDefaults.S3_ENDPOINT, "http://minio:9000")))
        .hasMessageContaining(PlatformDefaults.S3_BUCKET);
  }
}
