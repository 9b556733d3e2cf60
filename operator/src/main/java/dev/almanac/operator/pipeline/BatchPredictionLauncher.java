package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.common.Reason;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.RunTrigger;
import dev.almanac.api.v1alpha1.pipeline.Task;
import dev.almanac.operator.Labels;
import dev.almanac.operator.events.EventRecorder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesResourceUtil;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a promotion of a forecast pipeline with {@code spec.batchPrediction.enabled}, starts a Job
 * that forecasts every series with the promoted version and writes CSV + JSON to S3 ({@code
 * batchPrediction.output.s3}, else {@code <artifacts prefix>predictions/<pipeline>/v<version>/})
 * and, with {@code batchPrediction.output.postgres}, upserts them into that table (credentials from
 * its Secret). The Job is the trainer pod (same image, env, credentials, security) running the
 * batch command; it is named after the version, so a repeated event never starts it twice, and the
 * pipeline owns it.
 */
public final class BatchPredictionLauncher implements PromotionListener {
  public static final String COMPONENT = "batch-prediction";

  /** Annotation on the batch Job: the model version it forecasts with. */
  public static final String VERSION = "almanac.dev/model-version";

  private static final Logger LOG = LoggerFactory.getLogger(BatchPredictionLauncher.class);

  private final KubernetesClient client;
  private final EventRecorder events;
  private final PipelineSettings settings;
  private final Clock clock;

  public BatchPredictionLauncher(
      KubernetesClient client, EventRecorder events, PipelineSettings settings, Clock clock) {
    this.client = client;
    this.events = events;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public void promoted(PromotionEvent event) {
    try {
      var fp =
          client
              .resources(ForecastPipeline.class)
              .inNamespace(event.namespace())
              .withName(event.pipeline())
              .get();
      var job =
          fp == null
              ? null
              : job(
                  settings.defaults().applyTo(fp),
                  event.version(),
                  settings.trainerImage(),
                  settings.trainerServiceAccount(),
                  clock);
      if (job == null) {
        return;
      }
      client.batch().v1().jobs().inNamespace(event.namespace()).resource(job).create();
      events.normal(
          fp,
          Reason.BatchPredictionStarted,
          "batch prediction of version "
              + event.version()
              + " started (Job "
              + job.getMetadata().getName()
              + ", output "
              + outputUri(fp, event.version())
              + ")");
    } catch (RuntimeException e) {
      boolean alreadyStarted = e instanceof KubernetesClientException k && k.getCode() == 409;
      if (!alreadyStarted) {
        LOG.warn(
            "cannot start batch prediction for {}/{} version {}: {}",
            event.namespace(),
            event.pipeline(),
            event.version(),
            e.getMessage());
      }
    }
  }

  /**
   * The batch Job for {@code version}, or null when batch prediction is off or the task is not a
   * forecast.
   */
  static Job job(
      ForecastPipeline fp,
      String version,
      String defaultImage,
      String serviceAccount,
      Clock clock) {
    var spec = fp.getSpec();
    var batch = spec.getBatchPrediction();
    if (batch == null
        || !Boolean.TRUE.equals(batch.getEnabled())
        || spec.getTask() != Task.FORECAST
        || spec.getMlflow() == null) {
      return null;
    }
    var name =
        KubernetesResourceUtil.sanitizeName(fp.getMetadata().getName() + "-predict-v" + version);
    var job =
        RunObjects.job(
            fp, name, RunTrigger.Promotion, clock.instant(), defaultImage, serviceAccount);
    var labels = Labels.common(fp, "almanac-trainer", COMPONENT);
    labels.put(Labels.PIPELINE, fp.getMetadata().getName());
    job.getMetadata().setLabels(labels);
    var annotations = new java.util.LinkedHashMap<>(job.getMetadata().getAnnotations());
    annotations.put(VERSION, version);
    job.getMetadata().setAnnotations(annotations);
    job.getSpec().getTemplate().getMetadata().setLabels(labels);
    // Not a training run: the run history does not prune it, the TTL controller does (a day after
    // it ends).
    job.getSpec().setTtlSecondsAfterFinished(86_400);
    var pod = job.getSpec().getTemplate().getSpec();
    // No run spec: the batch command reads only the registered model.
    pod.setVolumes(
        new ArrayList<>(
            pod.getVolumes().stream().filter(v -> !"run-spec".equals(v.getName())).toList()));
    var container = pod.getContainers().get(0);
    container.setVolumeMounts(
        new ArrayList<>(
            container.getVolumeMounts().stream()
                .filter(m -> !"run-spec".equals(m.getName()))
                .toList()));
    int horizon =
        batch.getHorizon() != null
            ? batch.getHorizon()
            : spec.getHorizon() != null ? spec.getHorizon() : 28;
    var args =
        new ArrayList<>(
            List.of(
                "-cp",
                RunObjects.TRAINER_JAR,
                "dev.almanac.trainer.BatchPredictCli",
                "--model",
                "models:/" + spec.getMlflow().getRegisteredModel() + "/" + version,
                "--horizon",
                Integer.toString(horizon),
                "--output",
                outputUri(fp, version)));
    if (spec.getData() != null && spec.getData().getAsOf() != null) {
      args.addAll(
          List.of("--as-of", spec.getData().getAsOf())); // the cutoff holds for batch forecasts too
    }
    var postgres = batch.getOutput() == null ? null : batch.getOutput().getPostgres();
    if (postgres != null) {
      args.addAll(
          List.of(
              "--postgres-url",
              postgres.getJdbcUrl(),
              "--postgres-table",
              postgres.getTable() == null ? "almanac_predictions" : postgres.getTable()));
      // credentials: RunObjects.env maps the Secret's username/password to
      // ALMANAC_POSTGRES_USER/PASSWORD
    }
    container.setArgs(args);
    return job;
  }

  static String outputUri(ForecastPipeline fp, String version) {
    var spec = fp.getSpec();
    var out = spec.getBatchPrediction().getOutput();
    if (out != null && out.getS3() != null) {
      return "s3://" + out.getS3().getBucket() + "/" + strip(out.getS3().getKey()) + "/v" + version;
    }
    var s3 = spec.getArtifacts() == null ? null : spec.getArtifacts().getS3();
    if (s3 == null) {
      throw new IllegalStateException("spec.batchPrediction needs output.s3 or spec.artifacts.s3");
    }
    var prefix = s3.getPrefix() == null ? "" : strip(s3.getPrefix()) + "/";
    return "s3://"
        + s3.getBucket()
        + "/"
        + prefix
        + "predictions/"
        + fp.getMetadata().getName()
        + "/v"
        + version;
  }

  private static String strip(String key) {
    return key.replaceAll("^/+|/+$", "");
  }
}
