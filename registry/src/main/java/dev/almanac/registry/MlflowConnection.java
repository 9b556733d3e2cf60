package dev.almanac.registry;

import java.util.Map;

/**
 * Everything this module offers, wired from one pair of settings: tracking, registry, artifact
 * transfer, and the publisher and fetcher built on them.
 *
 * <pre>{@code
 * try (var mlflow = MlflowConnection.fromEnv(System.getenv())) {
 *   var run = mlflow.tracking().startRun(experimentId, "covid-2026-11-25", Map.of());
 *   ...
 *   mlflow.publisher().publish(run.runId(), modelDir, "covid-cases", Map.of("pipeline", "covid"));
 * }
 * }</pre>
 */
public final class MlflowConnection implements AutoCloseable {
  private final MlflowHttp http;
  private final MlflowTracking tracking;
  private final MlflowModelRegistry registry;
  private final ArtifactTransfer artifacts;
  private final MlflowLoggedModels loggedModels;

  public MlflowConnection(MlflowSettings mlflow, S3Settings s3) {
    this.http = new MlflowHttp(mlflow);
    this.tracking = new MlflowTracking(http);
    this.registry = new MlflowModelRegistry(http);
    this.artifacts = ArtifactTransfer.create(http, s3);
    this.loggedModels = new MlflowLoggedModels(http);
  }

  /** Reads {@link MlflowSettings#fromEnv(Map)} and {@link S3Settings#fromEnv(Map)}. */
  public static MlflowConnection fromEnv(Map<String, String> env) {
    return new MlflowConnection(MlflowSettings.fromEnv(env), S3Settings.fromEnv(env));
  }

  public MlflowSettings settings() {
    return http.settings();
  }

  public MlflowTracking tracking() {
    return tracking;
  }

  public MlflowModelRegistry registry() {
    return registry;
  }

  public ArtifactTransfer artifacts() {
    return artifacts;
  }

  /** MLflow 3's logged models; whether the server has them is asked once per connection. */
  public MlflowLoggedModels loggedModels() {
    return loggedModels;
  }

  public ModelPublisher publisher() {
    return new ModelPublisher(tracking, registry, artifacts, loggedModels);
  }

  public ModelFetcher fetcher() {
    return new ModelFetcher(registry, artifacts);
  }

  @Override
  public void close() {
    artifacts.close();
  }
}
