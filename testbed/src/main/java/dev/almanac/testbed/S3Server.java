package dev.almanac.testbed;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real S3 API server (moto) on a free loopback port. Moto accepts any credentials; the values
 * here are what clients should send. Start one per JVM through {@link S3TestBed} or {@link
 * MlflowTestBed}; tests that need to stop an S3 server (failure injection) start their own with
 * {@link #start()} and close it.
 */
public final class S3Server extends ServerProcess {
  public static final String ACCESS_KEY = "almanac-test";
  public static final String SECRET_KEY = "almanac-test-secret";
  public static final String REGION = "us-east-1";

  private final URI endpoint;

  private S3Server(URI endpoint, ManagedProcess process) {
    super(process, null);
    this.endpoint = endpoint;
  }

  /** Starts moto_server from the test venv and waits until it answers. */
  public static S3Server start() {
    var motoServer = Tools.venvBin("moto_server");
    int port = ManagedProcess.freePort();
    var endpoint = URI.create("http://127.0.0.1:" + port);
    var log = TestBedDirs.logDir().resolve("moto-" + port + ".log");
    var process =
        ManagedProcess.start(
            "moto S3 server",
            List.of(motoServer.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port)),
            Map.of(),
            log,
            endpoint.resolve("/moto-api/"),
            Duration.ofSeconds(60));
    return new S3Server(endpoint, process);
  }

  /**
   * Creates a bucket (path-style PUT; moto does not check signatures). Existing buckets are fine.
   */
  public void createBucket(String bucket) {
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    var request =
        HttpRequest.newBuilder(endpoint.resolve("/" + bucket))
            .timeout(Duration.ofSeconds(10))
            .PUT(HttpRequest.BodyPublishers.noBody())
            .build();
    try {
      var response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2 && response.statusCode() != 409) {
        throw new IllegalStateException(
            "moto refused bucket "
                + bucket
                + ": HTTP "
                + response.statusCode()
                + " "
                + response.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot create bucket "
              + bucket
              + " at "
              + endpoint
              + ": "
              + e.getMessage()
              + "\n"
              + logTail(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating bucket " + bucket, e);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  public String accessKey() {
    return ACCESS_KEY;
  }

  public String secretKey() {
    return SECRET_KEY;
  }

  public String region() {
    return REGION;
  }

  /** Environment for a process (mlflow, boto3, the trainer) that talks to this server. */
  public Map<String, String> clientEnv() {
    return clientEnv(endpoint, ACCESS_KEY, SECRET_KEY, REGION);
  }

  /** Environment for a process that talks to the S3 server at {@code endpoint}. */
  static Map<String, String> clientEnv(
      URI endpoint, String accessKey, String secretKey, String region) {
    return Map.of(
        "MLFLOW_S3_ENDPOINT_URL", endpoint.toString(),
        "AWS_ACCESS_KEY_ID", accessKey,
        "AWS_SECRET_ACCESS_KEY", secretKey,
        "AWS_DEFAULT_REGION", region,
        "AWS_REGION", region);
  }

  @Override
  public String toString() {
    return "S3Server[" + endpoint + "]";
  }
}
