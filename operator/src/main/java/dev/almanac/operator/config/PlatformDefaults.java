package dev.almanac.operator.config;

import dev.almanac.api.v1alpha1.common.ArtifactsSpec;
import dev.almanac.api.v1alpha1.common.MlflowSpec;
import dev.almanac.api.v1alpha1.common.S3ArtifactStore;
import dev.almanac.api.v1alpha1.common.SecretRef;
import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import java.util.Optional;

/**
 * The platform's MLflow and S3, set once in the Helm values ({@code defaults.mlflow}, {@code
 * defaults.artifacts.s3}) so that resources need not repeat them. A field set in a resource always
 * wins; {@link #applyTo} fills only what the resource leaves out, on a copy (the stored object is
 * never changed). Secret names refer to the resource's own namespace.
 *
 * @param trackingUri default {@code spec.mlflow.trackingUri} (empty: none)
 * @param mlflowCredentials default {@code spec.mlflow.credentialsSecretRef} name
 * @param s3 default {@code spec.artifacts.s3} (empty: none)
 */
public record PlatformDefaults(
    Optional<String> trackingUri, Optional<String> mlflowCredentials, Optional<S3Defaults> s3) {
  public static final String TRACKING_URI = "ALMANAC_DEFAULT_MLFLOW_TRACKING_URI";
  public static final String MLFLOW_CREDENTIALS_SECRET =
      "ALMANAC_DEFAULT_MLFLOW_CREDENTIALS_SECRET";
  public static final String S3_BUCKET = "ALMANAC_DEFAULT_S3_BUCKET";
  public static final String S3_PREFIX = "ALMANAC_DEFAULT_S3_PREFIX";
  public static final String S3_ENDPOINT = "ALMANAC_DEFAULT_S3_ENDPOINT";
  public static final String S3_REGION = "ALMANAC_DEFAULT_S3_REGION";
  public static final String S3_PATH_STYLE = "ALMANAC_DEFAULT_S3_PATH_STYLE";
  public static final String S3_CREDENTIALS_SECRET = "ALMANAC_DEFAULT_S3_CREDENTIALS_SECRET";

  /** No defaults: every resource says where its MLflow and S3 are. */
  public static final PlatformDefaults NONE =
      new PlatformDefaults(Optional.empty(), Optional.empty(), Optional.empty());

  private static final KubernetesSerialization COPIER = new KubernetesSerialization();

  /** The default artifact store: the fields of {@code spec.artifacts.s3}. */
  public record S3Defaults(
      String bucket,
      String prefix,
      String endpoint,
      String region,
      Boolean pathStyle,
      String credentialsSecret) {}

  public PlatformDefaults {
    trackingUri.ifPresent(
        uri -> {
          if (!uri.matches("^https?://.+")) {
            throw new IllegalArgumentException(
                TRACKING_URI + " must be an http(s) URL, got '" + uri + "'");
          }
        });
  }

  public static PlatformDefaults fromEnv(Map<String, String> env) {
    var bucket = value(env, S3_BUCKET);
    var s3 =
        bucket.map(
            b ->
                new S3Defaults(
                    b,
                    value(env, S3_PREFIX).orElse(null),
                    value(env, S3_ENDPOINT).orElse(null),
                    value(env, S3_REGION).orElse(null),
                    value(env, S3_PATH_STYLE).map(Boolean::parseBoolean).orElse(null),
                    value(env, S3_CREDENTIALS_SECRET).orElse(null)));
    if (bucket.isEmpty()
        && (value(env, S3_ENDPOINT).isPresent() || value(env, S3_CREDENTIALS_SECRET).isPresent())) {
      throw new IllegalArgumentException(
          S3_ENDPOINT
              + "/"
              + S3_CREDENTIALS_SECRET
              + " are set but "
              + S3_BUCKET
              + " is not (Helm value defaults.artifacts.s3.bucket)");
    }
    return new PlatformDefaults(
        value(env, TRACKING_URI), value(env, MLFLOW_CREDENTIALS_SECRET), s3);
  }

  /**
   * A copy of {@code md} with the defaults filled in; {@code spec.mlflow.registeredModel}
   * (deprecated) comes from {@code spec.model.registeredModel}.
   */
  public ModelDeployment applyTo(ModelDeployment md) {
    var copy = COPIER.clone(md);
    var spec = copy.getSpec();
    spec.setMlflow(mlflow(spec.getMlflow()));
    if (spec.getModel() != null) {
      spec.getMlflow().setRegisteredModel(spec.getModel().getRegisteredModel());
    }
    spec.setArtifacts(artifacts(spec.getArtifacts()));
    return copy;
  }

  /**
   * A copy of {@code fp} with the defaults filled in; the registered model defaults to the
   * pipeline's name.
   */
  public ForecastPipeline applyTo(ForecastPipeline fp) {
    var copy = COPIER.clone(fp);
    var spec = copy.getSpec();
    spec.setMlflow(mlflow(spec.getMlflow()));
    if (spec.getMlflow().getRegisteredModel() == null) {
      spec.getMlflow().setRegisteredModel(fp.getMetadata().getName());
    }
    spec.setArtifacts(artifacts(spec.getArtifacts()));
    return copy;
  }

  /**
   * What is still missing once the defaults are applied, as the field and what to do; empty when
   * the resource can be reconciled.
   */
  public static Optional<String> missing(MlflowSpec effective) {
    if (effective == null
        || effective.getTrackingUri() == null
        || effective.getTrackingUri().isBlank()) {
      return Optional.of(
          "is not set and the operator has no default MLflow: set it in the resource or the Helm "
              + "value defaults.mlflow.trackingUri");
    }
    return Optional.empty();
  }

  /** The field {@link #missing} is about. */
  public static final String TRACKING_URI_FIELD = "mlflow.trackingUri";

  private MlflowSpec mlflow(MlflowSpec given) {
    var mlflow = given == null ? new MlflowSpec() : given;
    if (mlflow.getTrackingUri() == null || mlflow.getTrackingUri().isBlank()) {
      trackingUri.ifPresent(mlflow::setTrackingUri);
      // the default credentials belong to the default server only: never sent to a server a
      // resource names
      if (mlflow.getCredentialsSecretRef() == null) {
        mlflowCredentials.ifPresent(name -> mlflow.setCredentialsSecretRef(new SecretRef(name)));
      }
    }
    return mlflow;
  }

  private ArtifactsSpec artifacts(ArtifactsSpec given) {
    if (given != null && given.getS3() != null) {
      return given;
    }
    if (s3.isEmpty()) {
      return given;
    }
    var d = s3.get();
    var store = new S3ArtifactStore();
    store.setBucket(d.bucket());
    store.setPrefix(d.prefix());
    store.setEndpoint(d.endpoint());
    store.setRegion(d.region());
    store.setPathStyle(d.pathStyle());
    if (d.credentialsSecret() != null) {
      store.setCredentialsSecretRef(new SecretRef(d.credentialsSecret()));
    }
    var artifacts = given == null ? new ArtifactsSpec() : given;
    artifacts.setS3(store);
    return artifacts;
  }

  private static Optional<String> value(Map<String, String> env, String key) {
    return Optional.ofNullable(env.get(key)).map(String::trim).filter(s -> !s.isEmpty());
  }
}
