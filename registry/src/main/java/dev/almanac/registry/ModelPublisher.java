package dev.almanac.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The trainer's last step: upload a model directory, then register it as a new version. The order —
 * every file, then the manifest, then the registration — means a failed upload never produces a
 * registered version, and a registered version always has a complete, verifiable directory behind
 * it.
 *
 * <p>Where the files go depends on the server, asked once per connection ({@link
 * MlflowLoggedModels#supported}):
 *
 * <ul>
 *   <li><b>MLflow 3</b> (logged models): the directory becomes a logged model of the run's
 *       experiment (name = the artifact path, type {@value #MODEL_TYPE}, source run = the run,
 *       params = the run's params, tags = the version tags), listed as an output of the run, with
 *       the run's metrics linked to it and to the run's training dataset; its {@code MLmodel} gets
 *       the {@code model_id}; the files go to the logged model's artifact location; it is finalized
 *       READY, or UPLOAD_FAILED if anything before that failed (then nothing is registered); the
 *       version is registered from {@code models:/<model id>} with its {@code model_id}, as
 *       MLflow's own {@code register_model} does.
 *   <li><b>MLflow 2.x</b>: the files go to {@code <run artifact URI>/<artifact path>} and the
 *       version's source is that URI.
 * </ul>
 */
public final class ModelPublisher {
  public static final String DEFAULT_ARTIFACT_PATH = "model";

  /** The {@code model_type} of the logged models Almanac creates. */
  public static final String MODEL_TYPE = "almanac-bundle";

  private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

  private final MlflowTracking tracking;
  private final MlflowModelRegistry registry;
  private final ArtifactTransfer artifacts;
  private final MlflowLoggedModels loggedModels;
  private final Consumer<ArtifactManifest.Entry> progress;

  /** A publisher on {@code tracking}'s server, which it asks whether it has logged models. */
  public ModelPublisher(
      MlflowTracking tracking, MlflowModelRegistry registry, ArtifactTransfer artifacts) {
    this(tracking, registry, artifacts, new MlflowLoggedModels(tracking.http()));
  }

  public ModelPublisher(
      MlflowTracking tracking,
      MlflowModelRegistry registry,
      ArtifactTransfer artifacts,
      MlflowLoggedModels loggedModels) {
    this(tracking, registry, artifacts, loggedModels, entry -> {});
  }

  private ModelPublisher(
      MlflowTracking tracking,
      MlflowModelRegistry registry,
      ArtifactTransfer artifacts,
      MlflowLoggedModels loggedModels,
      Consumer<ArtifactManifest.Entry> progress) {
    this.tracking = tracking;
    this.registry = registry;
    this.artifacts = artifacts;
    this.loggedModels = loggedModels;
    this.progress = progress;
  }

  /**
   * A publisher that reports each file once it is stored (progress logs; failure injection in
   * tests).
   */
  public ModelPublisher withProgress(Consumer<ArtifactManifest.Entry> progress) {
    return new ModelPublisher(tracking, registry, artifacts, loggedModels, progress);
  }

  /**
   * Uploads {@code modelDir} (as a logged model on MLflow 3, else to {@code <run artifact
   * URI>/model}), creates {@code registeredModel} if needed, registers the version (run id = {@code
   * runId}) with {@code versionTags} and waits until it is READY.
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
    var run = tracking.getRun(runId);
    if (loggedModels.supported(run.info().experimentId())) {
      return publishLoggedModel(run, modelDir, artifactPath, registeredModel, versionTags);
    }
    if (run.info().artifactUri().isEmpty()) {
      throw new RegistryException("run " + runId + " has no artifact URI");
    }
    var source = ArtifactTransfer.trimSlash(run.info().artifactUri()) + "/" + artifactPath;
    var manifest = artifacts.uploadDirectory(modelDir, source, progress);
    registry.createRegisteredModel(registeredModel, null);
    var created = registry.createVersion(registeredModel, source, runId, versionTags, null);
    var ready = registry.awaitReady(registeredModel, created.version(), READY_TIMEOUT);
    return new PublishedModel(ready, manifest);
  }

  private PublishedModel publishLoggedModel(
      Run run,
      Path modelDir,
      String artifactPath,
      String registeredModel,
      Map<String, String> versionTags) {
    var runId = run.info().runId();
    var model =
        loggedModels.create(
            run.info().experimentId(), artifactPath, runId, MODEL_TYPE, run.params(), versionTags);
    ArtifactManifest manifest;
    try {
      loggedModels.linkToRun(runId, model.modelId(), 0);
      loggedModels.logMetrics(runId, model.modelId(), trainingDataset(run), run.metrics().values());
      MlmodelStamp.stamp(modelDir, model);
      manifest = artifacts.uploadDirectory(modelDir, model.artifactUri(), progress);
    } catch (RuntimeException e) {
      // nothing half-done may look READY: mark it failed, and keep the original error
      try {
        loggedModels.finish(model.modelId(), LoggedModelStatus.UPLOAD_FAILED);
      } catch (RuntimeException alsoFailed) {
        e.addSuppressed(alsoFailed);
      }
      throw e;
    }
    var ready = loggedModels.finish(model.modelId(), LoggedModelStatus.READY);
    registry.createRegisteredModel(registeredModel, null);
    var created =
        registry.createVersion(
            registeredModel, model.uri(), runId, versionTags, null, model.modelId());
    var version = registry.awaitReady(registeredModel, created.version(), READY_TIMEOUT);
    return new PublishedModel(version, manifest, Optional.of(ready));
  }

  /**
   * The dataset the run's metrics were computed on: its input in context {@code training}, else its
   * only input; none when that is ambiguous.
   */
  static Optional<Dataset> trainingDataset(Run run) {
    var training =
        run.inputs().stream()
            .filter(i -> "training".equals(i.tags().get(DatasetInput.CONTEXT_TAG)))
            .findFirst();
    if (training.isPresent()) {
      return Optional.of(training.get().dataset());
    }
    return run.inputs().size() == 1 ? Optional.of(run.inputs().get(0).dataset()) : Optional.empty();
  }
}
