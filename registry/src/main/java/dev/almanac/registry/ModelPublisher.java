package dev.almanac.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The trainer's last step: upload a model directory into a run's artifacts, then register it as a
 * new version. The order — every file, then the manifest, then the registration — means a failed
 * upload never produces a registered version, and a registered version always has a complete,
 * verifiable directory behind it.
 */
public final class ModelPublisher {
  public static final String DEFAULT_ARTIFACT_PATH = "model";
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

  private final MlflowTracking tracking;
  private final MlflowModelRegistry registry;
  private final ArtifactTransfer artifacts;
  private final Consumer<ArtifactManifest.Entry> progress;

  public ModelPublisher(
      MlflowTracking tracking, MlflowModelRegistry registry, ArtifactTransfer artifacts) {
    this(tracking, registry, artifacts, entry -> {});
  }

  private ModelPublisher(
      MlflowTracking tracking,
      MlflowModelRegistry registry,
      ArtifactTransfer artifacts,
      Consumer<ArtifactManifest.Entry> progress) {
    this.tracking = tracking;
    this.registry = registry;
    this.artifacts = artifacts;
    this.progress = progress;
  }

  /**
   * A publisher that reports each file once it is stored (progress logs; failure injection in
   * tests).
   */
  public ModelPublisher withProgress(Consumer<ArtifactManifest.Entry> progress) {
    return new ModelPublisher(tracking, registry, artifacts, progress);
  }

  /**
   * Uploads {@code modelDir} to {@code <run artifact URI>/model}, creates {@code registeredModel}
   * if needed, registers the version (source = that URI, run id = {@code runId}) with {@code
   * versionTags} and waits until it is READY.
   */
  public PublishedModel publish(
      String runId, Path modelDir, String registeredModel, Map<String, String> versionTags) {
    return publish(runId, modelDir, DEFAULT_ARTIFACT_PATH, registeredModel, versionTags);
  }

  public PublishedModel publish(
      String runId,
      Path modelDir,
      String artifactPath,
      String registeredModel,
      Map<String, String> versionTags) {
    var run = tracking.getRun(runId).info();
    if (run.artifactUri().isEmpty()) {
      throw new RegistryException("run " + runId + " has no artifact URI");
    }
    var source = ArtifactTransfer.trimSlash(run.artifactUri()) + "/" + artifactPath;
    var manifest = artifacts.uploadDirectory(modelDir, source, progress);
    registry.createRegisteredModel(registeredModel, null);
    var created = registry.createVersion(registeredModel, source, runId, versionTags, null);
    var ready = registry.awaitReady(registeredModel, created.version(), READY_TIMEOUT);
    return new PublishedModel(ready, manifest);
  }
}
