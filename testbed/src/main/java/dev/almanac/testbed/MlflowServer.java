package dev.almanac.testbed;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;

/**
 * A real MLflow tracking + registry server ({@code mlflow server} from the test venv) on a free
 * loopback port, with a sqlite backend in a temp dir and artifacts in an {@link S3Server} bucket.
 *
 * <p>Both artifact paths are live: experiments created without an artifact location get {@code
 * s3://<bucket>/mlflow/<id>} (clients write to S3 directly), and the server also proxies {@code
 * mlflow-artifacts:/...} URIs to {@code s3://<bucket>/mlflow-artifacts} (clients write over HTTP);
 * create an experiment with artifact location {@code mlflow-artifacts:/<name>} to use it.
 */
public final class MlflowServer extends ServerProcess {
  private final URI trackingUri;
  private final String bucket;
  private final MlflowVersion version;

  private MlflowServer(
      URI trackingUri,
      String bucket,
      ManagedProcess process,
      Path stateDir,
      MlflowVersion version) {
    super(process, stateDir);
    this.version = version;
    this.trackingUri = trackingUri;
    this.bucket = bucket;
  }

  /** Starts {@link MlflowVersion#DEFAULT} against {@code s3} (the bucket must exist). */
  public static MlflowServer start(S3Server s3, String bucket) {
    return start(s3, bucket, MlflowVersion.DEFAULT);
  }

  /**
   * Starts {@code version} against {@code s3} (the bucket must exist) and waits for {@code GET
   * /health}.
   */
  public static MlflowServer start(S3Server s3, String bucket, MlflowVersion version) {
    var mlflow = version.mlflowBin();
    int port = ManagedProcess.freePort();
    var trackingUri = URI.create("http://127.0.0.1:" + port);
    var stateDir = TestBedDirs.newStateDir("mlflow");
    var env = new HashMap<>(s3.clientEnv());
    env.put("PYTHONUNBUFFERED", "1");
    env.put("GIT_PYTHON_REFRESH", "quiet");
    var command =
        List.of(
            mlflow.toString(),
            "server",
            "--backend-store-uri",
            "sqlite:///" + stateDir.resolve("mlflow.db"),
            "--default-artifact-root",
            "s3://" + bucket + "/mlflow",
            "--serve-artifacts",
            "--artifacts-destination",
            "s3://" + bucket + "/mlflow-artifacts",
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port),
            "--workers",
            "1");
    var log = TestBedDirs.logDir().resolve("mlflow-" + port + ".log");
    try {
      var process =
          ManagedProcess.start(
              "mlflow server (" + version + ")",
              command,
              env,
              log,
              trackingUri.resolve("/health"),
              Duration.ofSeconds(120));
      return new MlflowServer(trackingUri, bucket, process, stateDir, version);
    } catch (RuntimeException e) {
      TestBedDirs.deleteQuietly(stateDir);
      throw e;
    }
  }

  public MlflowVersion version() {
    return version;
  }

  public URI trackingUri() {
    return trackingUri;
  }

  /** Artifact root of experiments created without an explicit location. */
  public String defaultArtifactRoot() {
    return "s3://" + bucket + "/mlflow";
  }

  @Override
  public String toString() {
    return "MlflowServer[" + version + " " + trackingUri + "]";
  }
}
