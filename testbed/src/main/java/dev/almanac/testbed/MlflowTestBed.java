package dev.almanac.testbed;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension: one real MLflow server (sqlite backend) per {@link MlflowVersion} plus one
 * real S3 server (moto) per test JVM, each started on first use on free loopback ports and stopped
 * when the test plan ends (or the JVM exits). Integration tests of the registry, operator, trainer
 * and model server share them:
 *
 * <pre>{@code
 * @Tag("integration")
 * @ExtendWith(MlflowTestBed.class)
 * class PromotionIT {
 *   @Test void promotes(MlflowTestBed.Endpoints bed) {
 *     var env = bed.env();                       // MLFLOW_TRACKING_URI, AWS_*, MLFLOW_S3_ENDPOINT_URL, ...
 *     var mlflow = MlflowSettings.fromEnv(env);  // registry module settings
 *     var s3 = S3Settings.fromEnv(env);
 *     // or hand env to a child process (trainer) with ProcessBuilder.environment().putAll(env)
 *   }
 * }
 * }</pre>
 *
 * <p>The test matrix: a class runs against {@link MlflowVersion#DEFAULT} (MLflow 3) unless it (or a
 * superclass) says {@link OnMlflow @OnMlflow(V2)}; a suite that must pass on both is written once
 * and subclassed per version ({@code class ModelRegistryMlflow2Test extends
 * ModelRegistryIntegrationTest} with {@code @OnMlflow(V2)}). Both servers share the S3 server and
 * live for the whole JVM, so the second version costs one server start, not one per class.
 *
 * <p>Artifact paths: experiments created without a location store artifacts at {@link
 * Endpoints#defaultArtifactRoot()} ({@code s3://almanac-test/mlflow/...}, written straight to S3);
 * experiments created with a location under {@link Endpoints#proxiedArtifactRoot()} ({@code
 * mlflow-artifacts:/...}) go through the server's artifact proxy. The server state is shared by
 * every test in the JVM: use unique experiment and model names (e.g. with a random suffix).
 *
 * <p>Needs {@code mlflow} and {@code moto_server} in the test venv ({@code bash
 * scripts/test-tools.sh}); a missing tool or a server that does not come up fails with the tool
 * path or the tail of its log ({@code target/testbed-logs/}).
 */
public final class MlflowTestBed extends SharedServerExtension {

  /**
   * Which MLflow a test class (and its subclasses) runs against; without it, {@link
   * MlflowVersion#DEFAULT}.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @Inherited
  public @interface OnMlflow {
    MlflowVersion value();
  }

  /** How to reach the shared MLflow and S3 servers. Credentials are test values. */
  public record Endpoints(
      URI trackingUri,
      URI s3Endpoint,
      String bucket,
      String region,
      String accessKey,
      String secretKey,
      MlflowVersion version) {

    /** Endpoints of {@link MlflowVersion#DEFAULT} (e.g. a copy pointing at an unreachable URI). */
    public Endpoints(
        URI trackingUri,
        URI s3Endpoint,
        String bucket,
        String region,
        String accessKey,
        String secretKey) {
      this(trackingUri, s3Endpoint, bucket, region, accessKey, secretKey, MlflowVersion.DEFAULT);
    }

    /** Artifact root of experiments created without an explicit artifact location. */
    public String defaultArtifactRoot() {
      return "s3://" + bucket + "/mlflow";
    }

    /** Prefix for experiment artifact locations served through MLflow's artifact proxy. */
    public String proxiedArtifactRoot() {
      return "mlflow-artifacts:/";
    }

    public S3TestBed.Endpoints s3() {
      return new S3TestBed.Endpoints(s3Endpoint, bucket, region, accessKey, secretKey);
    }

    /**
     * Environment for clients: {@code MLFLOW_TRACKING_URI} plus {@link S3TestBed.Endpoints#env()}.
     */
    public Map<String, String> env() {
      var env = new HashMap<>(s3().env());
      env.put("MLFLOW_TRACKING_URI", trackingUri.toString());
      return Map.copyOf(env);
    }

    @Override
    public String toString() {
      return version + " " + trackingUri + ", S3 " + s3Endpoint + " bucket " + bucket;
    }
  }

  public MlflowTestBed() {
    super(Endpoints.class, S3TestBed.Endpoints.class);
  }

  @Override
  Object endpoints(Class<?> type, ExtensionContext context) {
    var endpoints = endpoints(context);
    return type == Endpoints.class ? endpoints : endpoints.s3();
  }

  /** The endpoints of the JVM-wide servers for the test class's {@link OnMlflow} version. */
  public static Endpoints endpoints(ExtensionContext context) {
    return endpoints(context, versionOf(context));
  }

  /**
   * The endpoints of the JVM-wide MLflow {@code version} + S3 servers, starting them on first use.
   */
  public static Endpoints endpoints(ExtensionContext context, MlflowVersion version) {
    var s3 = S3TestBed.server(context);
    var mlflow =
        StartedOnce.shared(
            context,
            MlflowTestBed.class,
            "mlflow-server-" + version.name(),
            () -> MlflowServer.start(s3, S3TestBed.BUCKET, version));
    return new Endpoints(
        mlflow.trackingUri(),
        s3.endpoint(),
        S3TestBed.BUCKET,
        s3.region(),
        s3.accessKey(),
        s3.secretKey(),
        version);
  }

  static MlflowVersion versionOf(ExtensionContext context) {
    return context
        .getTestClass()
        .flatMap(c -> AnnotationSupport.findAnnotation(c, OnMlflow.class))
        .map(OnMlflow::value)
        .orElse(MlflowVersion.DEFAULT);
  }
}
