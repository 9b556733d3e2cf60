package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.RunTrigger;
import dev.almanac.api.v1alpha1.pipeline.TrainerSpec;
import dev.almanac.operator.Annotations;
import dev.almanac.operator.Labels;
import dev.almanac.operator.workload.WorkloadEnvironment;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two objects of one run: a ConfigMap with the resolved run spec (the pipeline manifest the
 * trainer CLI reads with {@code --spec}) and the {@code batch/v1} Job running the trainer in the
 * {@link WorkloadEnvironment} (restricted Pod Security profile, MLflow and S3 env). Both are owned
 * by the pipeline and created once, never updated.
 */
public final class RunObjects {
  public static final String COMPONENT = "trainer";
  public static final String CONTAINER = "trainer";
  public static final String SPEC_KEY = "pipeline.yaml";
  public static final String SPEC_DIR = "/etc/almanac/run";
  public static final String TRAINER_JAR = "/app/almanac-trainer.jar";
  public static final String OUTPUT_DIR = "/tmp/out";

  /**
   * Where a {@code data.source.configMapRef} key is mounted; the trainer gets it with {@code
   * --data}.
   */
  public static final String DATA_DIR = "/etc/almanac/data";

  /** Annotation on run objects: what started the run (Schedule, SpecChange, RunNow). */
  public static final String TRIGGER = "almanac.dev/trigger";

  /** On a merge Job: the sharded run it completes (not a run of its own). */
  public static final String MERGE_OF = "almanac.dev/merge-of";

  static final String MERGE_SUFFIX = "-merge";

  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private RunObjects() {}

  public static Map<String, String> labels(ForecastPipeline fp, String run) {
    var labels = Labels.common(fp, "almanac-trainer", COMPONENT);
    labels.put(Labels.PIPELINE, fp.getMetadata().getName());
    labels.put(Labels.RUN, run);
    return labels;
  }

  static ObjectMeta meta(ForecastPipeline fp, String run, RunTrigger trigger, Instant scheduled) {
    return new ObjectMetaBuilder()
        .withName(run)
        .withNamespace(fp.getMetadata().getNamespace())
        .withLabels(labels(fp, run))
        .withAnnotations(
            Map.of(Annotations.SCHEDULED_TIME, scheduled.toString(), TRIGGER, trigger.name()))
        .withOwnerReferences(owner(fp))
        .build();
  }

  /** The resolved run spec: the pipeline manifest without status, as the trainer's --spec file. */
  public static ConfigMap specConfigMap(
      ForecastPipeline fp, String run, RunTrigger trigger, Instant scheduled) {
    var manifest = new LinkedHashMap<String, Object>();
    manifest.put("apiVersion", fp.getApiVersion());
    manifest.put("kind", fp.getKind());
    var metadata = new LinkedHashMap<String, Object>();
    metadata.put("name", fp.getMetadata().getName());
    metadata.put("namespace", fp.getMetadata().getNamespace());
    metadata.put("generation", fp.getMetadata().getGeneration());
    metadata.put(
        "annotations",
        Map.of(
            Labels.RUN,
            run,
            Annotations.SCHEDULED_TIME,
            scheduled.toString(),
            TRIGGER,
            trigger.name()));
    manifest.put("metadata", metadata);
    manifest.put("spec", fp.getSpec());
    return new ConfigMapBuilder()
        .withMetadata(meta(fp, run, trigger, scheduled))
        .withData(Map.of(SPEC_KEY, YAML.asYaml(manifest)))
        .build();
  }

  public static Job job(
      ForecastPipeline fp, String run, RunTrigger trigger, Instant scheduled, String defaultImage) {
    return job(fp, run, trigger, scheduled, defaultImage, null);
  }

  public static Job job(
      ForecastPipeline fp,
      String run,
      RunTrigger trigger,
      Instant scheduled,
      String defaultImage,
      String defaultServiceAccount) {
    var spec = fp.getSpec();
    var trainer = spec.getTrainer() == null ? new TrainerSpec() : spec.getTrainer();
    int shards = trainer.getShards() == null ? 1 : trainer.getShards();
    var args =
        new ArrayList<>(
            List.of(
                "-jar",
                TRAINER_JAR,
                "--spec",
                SPEC_DIR + "/" + SPEC_KEY,
                "--output",
                OUTPUT_DIR,
                "--run-id",
                run));
    // recorded on the version; a scheduled run compares it (and the data) with production's and
    // trains nothing when both are unchanged
    args.addAll(List.of("--training-spec-digest", TrainingSpec.digest(spec)));
    if (trigger == RunTrigger.Schedule) {
      args.add("--skip-if-unchanged");
    }
    if (shards > 1) {
      // Kubernetes expands $(VAR) from the container env: the shard is the Indexed Job's completion
      // index
      args.addAll(
          List.of("--shard", "$(ALMANAC_SHARD_INDEX)", "--shards", Integer.toString(shards)));
    }
    var dataRef =
        spec.getData() == null || spec.getData().getSource() == null
            ? null
            : spec.getData().getSource().getConfigMapRef();
    if (dataRef != null) {
      // the trainer has no Kubernetes client: the operator stages ConfigMap data as a file
      args.addAll(List.of("--data", DATA_DIR + "/" + dataRef.getKey()));
    }
    var image =
        trainer.getImage() == null || trainer.getImage().isBlank()
            ? defaultImage
            : trainer.getImage();
    var builder =
        new JobBuilder()
            .withMetadata(meta(fp, run, trigger, scheduled))
            .withNewSpec()
            .withBackoffLimit(trainer.getBackoffLimit() == null ? 1 : trainer.getBackoffLimit())
            .withActiveDeadlineSeconds(
                trainer.getActiveDeadlineSeconds() == null
                    ? 3600L
                    : trainer.getActiveDeadlineSeconds())
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels(fp, run))
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            .withServiceAccountName(
                trainer.getServiceAccountName() != null
                    ? trainer.getServiceAccountName()
                    : defaultServiceAccount)
            .withAutomountServiceAccountToken(false)
            .withSecurityContext(WorkloadEnvironment.podSecurityContext())
            .addNewContainer()
            .withName(CONTAINER)
            .withImage(image)
            .withImagePullPolicy("IfNotPresent")
            .withCommand("java")
            .withArgs(args)
            .withEnv(env(fp, shards > 1))
            .withResources(resources(trainer.getResources()))
            .withTerminationMessagePolicy("FallbackToLogsOnError")
            .withSecurityContext(WorkloadEnvironment.containerSecurityContext())
            .addNewVolumeMount()
            .withName("run-spec")
            .withMountPath(SPEC_DIR)
            .withReadOnly(true)
            .endVolumeMount()
            .addToVolumeMounts(WorkloadEnvironment.tmpMount())
            .endContainer()
            .addNewVolume()
            .withName("run-spec")
            .withNewConfigMap()
            .withName(run)
            .endConfigMap()
            .endVolume()
            .addToVolumes(WorkloadEnvironment.tmpVolume())
            .endSpec()
            .endTemplate()
            .endSpec();
    if (dataRef != null) {
      builder
          .editSpec()
          .editTemplate()
          .editSpec()
          .addNewVolume()
          .withName("data")
          .withNewConfigMap()
          .withName(dataRef.getName())
          .withOptional(dataRef.getOptional())
          .addNewItem()
          .withKey(dataRef.getKey())
          .withPath(dataRef.getKey())
          .endItem()
          .endConfigMap()
          .endVolume()
          .editFirstContainer()
          .addNewVolumeMount()
          .withName("data")
          .withMountPath(DATA_DIR)
          .withReadOnly(true)
          .endVolumeMount()
          .endContainer()
          .endSpec()
          .endTemplate()
          .endSpec();
    }
    if (shards > 1) {
      builder
          .editSpec()
          .withCompletionMode("Indexed")
          .withCompletions(shards)
          .withParallelism(shards)
          .endSpec();
    }
    return builder.build();
  }

  /** The merge Job of a sharded run: its name, also the run record's job once started. */
  public static String mergeJobName(String run) {
    return run + MERGE_SUFFIX;
  }

  /**
   * The merge step of a sharded run: one pod with the run's spec ConfigMap and pod settings that
   * downloads the shards' partial bundles, assembles one bundle and registers one version. Its pod
   * carries the run's label, so the run's reports include its result.
   */
  public static Job mergeJob(
      ForecastPipeline fp,
      String run,
      RunTrigger trigger,
      Instant scheduled,
      String defaultImage,
      String defaultServiceAccount) {
    var job = job(fp, run, trigger, scheduled, defaultImage, defaultServiceAccount);
    var shards = fp.getSpec().getTrainer().getShards();
    job.getMetadata().setName(mergeJobName(run));
    var annotations = new java.util.LinkedHashMap<>(job.getMetadata().getAnnotations());
    annotations.put(MERGE_OF, run);
    job.getMetadata().setAnnotations(annotations);
    job.getSpec().setCompletionMode(null);
    job.getSpec().setCompletions(null);
    job.getSpec().setParallelism(null);
    var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    var args = new ArrayList<>(container.getArgs());
    int at = args.indexOf("--shard");
    if (at >= 0) {
      args.subList(at, at + 4).clear(); // --shard $(ALMANAC_SHARD_INDEX) --shards n
    }
    args.remove("--skip-if-unchanged"); // the shards decided that already
    args.addAll(List.of("--merge-shards", Integer.toString(shards)));
    container.setArgs(args);
    container.setEnv(env(fp, false));
    return job;
  }

  static List<EnvVar> env(ForecastPipeline fp, boolean sharded) {
    var spec = fp.getSpec();
    var env = new ArrayList<EnvVar>();
    env.add(WorkloadEnvironment.value("ALMANAC_PIPELINE", fp.getMetadata().getName()));
    env.addAll(WorkloadEnvironment.offline());
    // Serial GC: a training run is one batch computation; G1 (the default under a 2 GiB limit)
    // held 1.19 GB RSS for the example against 0.67 GB, at the same wall time
    // (benchmarks/RESULTS.md)
    env.add(
        WorkloadEnvironment.value(
            "JAVA_TOOL_OPTIONS", "-XX:+UseSerialGC -XX:MaxRAMPercentage=75 -Djava.io.tmpdir=/tmp"));
    if (sharded) {
      env.add(
          new EnvVarBuilder()
              .withName("ALMANAC_SHARD_INDEX")
              .withNewValueFrom()
              .withNewFieldRef()
              .withFieldPath("metadata.annotations['batch.kubernetes.io/job-completion-index']")
              .endFieldRef()
              .endValueFrom()
              .build());
    }
    env.addAll(WorkloadEnvironment.registry(spec.getMlflow(), spec.getArtifacts()));
    var batch = spec.getBatchPrediction();
    var postgres =
        batch == null || batch.getOutput() == null ? null : batch.getOutput().getPostgres();
    if (postgres != null) {
      // batch Jobs write forecasts there; training runs read them back to score them (realized
      // accuracy)
      var secret = postgres.getCredentialsSecretRef().getName();
      env.add(secretKey("ALMANAC_POSTGRES_USER", secret, "username"));
      env.add(secretKey("ALMANAC_POSTGRES_PASSWORD", secret, "password"));
    }
    return env;
  }

  private static EnvVar secretKey(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secret)
        .withKey(key)
        .withOptional(false)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }

  static ResourceRequirements resources(ResourceRequirements fromSpec) {
    if (fromSpec != null
        && ((fromSpec.getRequests() != null && !fromSpec.getRequests().isEmpty())
            || (fromSpec.getLimits() != null && !fromSpec.getLimits().isEmpty()))) {
      return fromSpec;
    }
    return new ResourceRequirementsBuilder()
        .withRequests(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("1Gi")))
        .withLimits(Map.of("memory", new Quantity("2Gi")))
        .build();
  }

  /** The pipeline as the controlling owner: its objects go when it goes. */
  static io.fabric8.kubernetes.api.model.OwnerReference owner(ForecastPipeline fp) {
    return new OwnerReferenceBuilder()
        .withApiVersion(fp.getApiVersion())
        .withKind(fp.getKind())
        .withName(fp.getMetadata().getName())
        .withUid(fp.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
