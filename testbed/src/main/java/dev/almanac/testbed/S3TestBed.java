package dev.almanac.testbed;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: one real S3 server (moto) per test JVM, with bucket {@link #BUCKET}.
 *
 * <pre>{@code
 * @Tag("integration")
 * @ExtendWith(S3TestBed.class)
 * class BundleDownloadTest {
 *   @Test void reads(S3TestBed.Endpoints s3) {
 *     var client = ... endpoint s3.endpoint(), region s3.region(), path-style, s3.accessKey()/s3.secretKey()
 *   }
 * }
 * }</pre>
 *
 * {@link MlflowTestBed} shares the same server, so S3 objects written by MLflow are visible here.
 */
public final class S3TestBed extends SharedServerExtension {
  public static final String BUCKET = "almanac-test";

  /** How to reach the shared S3 server. Credentials are test values (moto accepts any). */
  public record Endpoints(
      URI endpoint, String bucket, String region, String accessKey, String secretKey) {
    /**
     * Environment for a client process: {@code MLFLOW_S3_ENDPOINT_URL}, {@code AWS_*}, {@code
     * ALMANAC_S3_PATH_STYLE=true}.
     */
    public Map<String, String> env() {
      var env = new HashMap<>(S3Server.clientEnv(endpoint, accessKey, secretKey, region));
      env.put("ALMANAC_S3_PATH_STYLE", "true");
      return Map.copyOf(env);
    }

    @Override
    public String toString() {
      return "S3 " + endpoint + " bucket " + bucket;
    }
  }

  public S3TestBed() {
    super(Endpoints.class);
  }

  @Override
  Object endpoints(Class<?> type, ExtensionContext context) {
    return endpoints(context);
  }

  /** The endpoints of the JVM-wide S3 server, starting it on first use. */
  public static Endpoints endpoints(ExtensionContext context) {
    var s3 = server(context);
    return new Endpoints(s3.endpoint(), BUCKET, s3.region(), s3.accessKey(), s3.secretKey());
  }

  /** The JVM-wide S3 server, started on first use with bucket {@link #BUCKET}. */
  static S3Server server(ExtensionContext context) {
    return StartedOnce.shared(
        context,
        S3TestBed.class,
        "s3-server",
        () -> {
          var s3 = S3Server.start();
          try {
            s3.createBucket(BUCKET);
          } catch (RuntimeException e) {
            s3.close();
            throw e;
          }
          return s3;
        });
  }
}
