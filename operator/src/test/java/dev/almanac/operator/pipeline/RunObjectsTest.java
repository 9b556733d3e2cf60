package dev.almanac.operator.pipeline;

import static dev.almanac.operator.pipeline.Pipelines.pipeline;
import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.api.v1alpha1.common.ArtifactsSpec;
import dev.almanac.api.v1alpha1.common.S3ArtifactStore;
import dev.almanac.api.v1alpha1.common.SecretRef;
import dev.almanac.api.v1alpha1.pipeline.RunTrigger;
import dev.almanac.api.v1alpha1.pipeline.TrainerSpec;
import dev.almanac.operator.Labels;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunObjectsTest {
  private static final Instant AT = Instant.parse("2026-11-25T03:00:00Z");

  @Test
  void trainerJobRunsRestrictedWithCredentialsOnlyFromSecrets() {
    var fp =
        pipeline(
            "ns",
            "covid",
            "covid-cases",
            s -> {
              var store = new S3ArtifactStore();
              store.setBucket("models");
              store.setEndpoint("http://minio:9000");
              store.setCredentialsSecretRef(new SecretRef("s3-credentials"));
              var artifacts = new ArtifactsSpec();
              artifacts.setS3(store);
              s.setArtifacts(artifacts);
              var trainer = new TrainerSpec();
              trainer.setServiceAccountName("almanac-trainer");
              trainer.setBackoffLimit(2);
              trainer.setActiveDeadlineSeconds(900L);
              s.setTrainer(trainer);
            });
    fp.getMetadata().setUid("uid-1");
    var job = RunObjects.job(fp, "covid-123", RunTrigger.Schedule, AT, "trainer:1");
    var pod = job.getSpec().getTemplate().getSpec();
    var c = pod.getContainers().get(0);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getVolumeMounts())
        .extracting(m -> m.getMountPath())
        .contains("/tmp", RunObjects.SPEC_DIR);
    assertThat(c.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
    assertThat(c.getArgs())
        .containsExactly(
            "-jar",
            "/app/almanac-trainer.jar",
            "--spec",
            "/etc/almanac/run/pipeline.yaml",
            "--output",
            "/tmp/out",
            "--run-id",
            "covid-123",
            "--training-spec-digest",
            TrainingSpec.digest(fp.getSpec()),
            "--skip-if-unchanged");
    assertThat(pod.getServiceAccountName()).isEqualTo("almanac-trainer");
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(900L);
    assertThat(job.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getUid()).isEqualTo("uid-1");
              assertThat(o.getController()).isTrue();
            });
    assertThat(job.getMetadata().getLabels())
        .containsEntry(Labels.PIPELINE, "covid")
        .containsEntry(Labels.RUN, "covid-123")
        .containsEntry(Labels.MANAGED_BY, Labels.MANAGER);
    var env = c.getEnv();
    assertThat(env)
        .filteredOn(e -> e.getValueFrom() != null)
        .extracting(EnvVar::getName)
        .containsExactlyInAnyOrder(
            "MLFLOW_TRACKING_USERNAME",
            "MLFLOW_TRACKING_PASSWORD",
            "MLFLOW_TRACKING_TOKEN",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY");
    assertThat(env)
        .filteredOn(e -> e.getName().startsWith("MLFLOW_TRACKING_USER"))
        .allSatisfy(e -> assertThat(e.getValueFrom().getSecretKeyRef().getOptional()).isTrue());
    assertThat(env)
        .filteredOn(e -> e.getValue() != null)
        .extracting(EnvVar::getName)
        .contains("MLFLOW_TRACKING_URI", "MLFLOW_S3_ENDPOINT_URL", "AWS_REGION", "DJL_OFFLINE");
    assertThat(job.getSpec().getCompletionMode()).isNull();
  }

  @Test
  void onlyScheduledRunsMaySkipWhenNothingChanged() {
    var fp = pipeline("ns", "covid", "m", s -> {});
    for (var trigger : RunTrigger.values()) {
      var args =
          RunObjects.job(fp, "covid-1", trigger, AT, "trainer:1")
              .getSpec()
              .getTemplate()
              .getSpec()
              .getContainers()
              .get(0)
              .getArgs();
      assertThat(args)
          .containsSequence("--training-spec-digest", TrainingSpec.digest(fp.getSpec()));
      if (trigger == RunTrigger.Schedule) {
        assertThat(args).as(trigger.name()).contains("--skip-if-unchanged");
      } else {
        assertThat(args).as(trigger.name()).doesNotContain("--skip-if-unchanged");
      }
    }
  }

  @Test
  void shardedRunsAreIndexedJobsPassingTheCompletionIndex() {
    var fp =
        pipeline(
            "ns",
            "covid",
            "m",
            s -> {
              var trainer = new TrainerSpec();
              trainer.setShards(4);
              s.setTrainer(trainer);
            });
    var job =
        RunObjects.job(fp, "covid-1", RunTrigger.Schedule, AT, "trainer:1", "almanac-trainer");
    assertThat(job.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("almanac-trainer");
    assertThat(job.getSpec().getCompletionMode()).isEqualTo("Indexed");
    assertThat(job.getSpec().getCompletions()).isEqualTo(4);
    assertThat(job.getSpec().getParallelism()).isEqualTo(4);
    var c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getArgs()).containsSequence("--shard", "$(ALMANAC_SHARD_INDEX)", "--shards", "4");
    assertThat(c.getEnv())
        .filteredOn(e -> e.getName().equals("ALMANAC_SHARD_INDEX"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                    .contains("job-completion-index"));
  }

  @Test
  void configMapDataIsMountedAndPassedWithData() {
    var fp =
        pipeline(
            "ns",
            "disease",
            "m",
            s -> {
              s.getData().getSource().setPath(null);
              s.getData()
                  .getSource()
                  .setConfigMapRef(
                      new io.fabric8.kubernetes.api.model.ConfigMapKeySelector(
                          "train.csv", "symptoms", false));
            });
    var pod =
        RunObjects.job(fp, "disease-1", RunTrigger.Schedule, AT, "trainer:1")
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(pod.getContainers().get(0).getArgs())
        .containsSequence("--data", "/etc/almanac/data/train.csv");
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getName().equals("data"))
        .singleElement()
        .satisfies(v -> assertThat(v.getConfigMap().getName()).isEqualTo("symptoms"));
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .extracting(m -> m.getMountPath())
        .contains("/etc/almanac/data");
  }

  @Test
  void runNamesAreDeterministicAndShort() {
    var fp =
        pipeline(
            "ns", "a-very-long-pipeline-name-that-goes-on-and-on-and-on-forever", "m", s -> {});
    var name = RunNames.scheduled(fp, AT);
    assertThat(name)
        .isEqualTo(RunNames.scheduled(fp, AT))
        .hasSizeLessThanOrEqualTo(RunNames.MAX)
        .endsWith("-" + AT.getEpochSecond() / 60)
        .matches("[a-z0-9-]+");
    assertThat(RunNames.runNow(fp, "x")).isNotEqualTo(RunNames.runNow(fp, "y"));
  }
}
