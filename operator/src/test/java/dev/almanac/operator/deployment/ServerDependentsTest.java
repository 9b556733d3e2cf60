package dev.almanac.operator.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.api.v1alpha1.deployment.AutoscalingSpec;
import dev.almanac.api.v1alpha1.deployment.BatchingSpec;
import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.api.v1alpha1.deployment.RolloutSpec;
import dev.almanac.api.v1alpha1.deployment.ServerSpec;
import dev.almanac.operator.Annotations;
import dev.almanac.operator.Labels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every dependent's desired object, computed without a server. */
class ServerDependentsTest {
  private static final ServerPlan PLAN =
      new ServerPlan("7", "registry.example/almanac-model-server:1.0");

  private static ModelDeployment md() {
    return ModelDeployments.withCredentials(
        ModelDeployments.followingAlias("ml", "covid", "covid-cases", "production"));
  }

  private static Container container(ModelDeployment md) {
    return ServerDeploymentDependent.desired(md, PLAN)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0);
  }

  private static Map<String, EnvVar> env(ModelDeployment md) {
    return container(md).getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, Function.identity()));
  }

  @Test
  void serverPodsAndTrainerJobsShareOneWorkloadEnvironment() {
    var md = md();
    var fp = new dev.almanac.api.v1alpha1.pipeline.ForecastPipeline();
    fp.getMetadata().setName("covid");
    fp.getMetadata().setNamespace("ml");
    var spec = new dev.almanac.api.v1alpha1.pipeline.ForecastPipelineSpec();
    spec.setMlflow(md.getSpec().getMlflow());
    spec.setArtifacts(md.getSpec().getArtifacts());
    fp.setSpec(spec);
    var trainer =
        dev.almanac.operator.pipeline.RunObjects.job(
                fp,
                "covid-1",
                dev.almanac.api.v1alpha1.pipeline.RunTrigger.Schedule,
                java.time.Instant.EPOCH,
                "trainer:1")
            .getSpec()
            .getTemplate()
            .getSpec();
    var server = ServerDeploymentDependent.desired(md, PLAN).getSpec().getTemplate().getSpec();

    assertThat(trainer.getSecurityContext())
        .isEqualTo(server.getSecurityContext())
        .isEqualTo(dev.almanac.operator.workload.WorkloadEnvironment.podSecurityContext());
    assertThat(trainer.getContainers().get(0).getSecurityContext())
        .isEqualTo(server.getContainers().get(0).getSecurityContext());
    assertThat(trainer.getVolumes())
        .contains(dev.almanac.operator.workload.WorkloadEnvironment.tmpVolume());
    assertThat(server.getVolumes())
        .contains(dev.almanac.operator.workload.WorkloadEnvironment.tmpVolume());
    var shared =
        dev.almanac.operator.workload.WorkloadEnvironment.registry(
            md.getSpec().getMlflow(), md.getSpec().getArtifacts());
    assertThat(shared)
        .extracting(EnvVar::getName)
        .contains("MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_TOKEN", "AWS_REGION");
    assertThat(trainer.getContainers().get(0).getEnv()).containsSubsequence(shared);
    assertThat(server.getContainers().get(0).getEnv()).containsSubsequence(shared);
  }

  @Test
  void deploymentRunsTheExactVersionAndAnnotatesTheTemplate() {
    var deployment = ServerDeploymentDependent.desired(md(), PLAN);
    var c = container(md());
    assertThat(deployment.getMetadata().getName()).isEqualTo("covid");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(Annotations.MODEL_VERSION, "7");
    assertThat(c.getImage()).isEqualTo(PLAN.image());
    assertThat(c.getCommand()).containsExactly("java", "-jar", "/app/almanac-model-server.jar");
    var env = env(md());
    assertThat(env.get("ALMANAC_MODELS").getValue()).isEqualTo("models:/covid-cases/7");
    assertThat(env.get("ALMANAC_PORT").getValue()).isEqualTo("8080");
    assertThat(env.get("ALMANAC_MAX_BATCH_SIZE").getValue()).isEqualTo("32");
    assertThat(env.get("ALMANAC_MAX_DELAY_MILLIS").getValue()).isEqualTo("0");
    assertThat(env.get("ALMANAC_MAX_HORIZON").getValue()).isEqualTo("365");
    assertThat(env.get("MLFLOW_TRACKING_URI").getValue()).isEqualTo("http://mlflow.mlflow:5000");
    assertThat(env.get("MLFLOW_S3_ENDPOINT_URL").getValue()).isEqualTo("http://minio.minio:9000");
    assertThat(env.get("AWS_REGION").getValue()).isEqualTo("eu-west-1");
    assertThat(env.get("DJL_OFFLINE").getValue()).isEqualTo("true");
    assertThat(c.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getContainerPort()).isEqualTo(8080);
            });
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/ready");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/live");
    assertThat(c.getReadinessProbe().getPeriodSeconds()).isEqualTo(1);
    assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/v2/health/live");
    assertThat(c.getStartupProbe().getPeriodSeconds() * c.getStartupProbe().getFailureThreshold())
        .as("seconds a slow JVM start gets before liveness may restart it")
        .isGreaterThanOrEqualTo(120);
    assertThat(c.getLifecycle().getPreStop().getSleep().getSeconds())
        .as("serve until kube-proxy drops the endpoint")
        .isEqualTo(5L);
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .isEqualTo(ServerNames.selector(md()));
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(ServerNames.selector(md()));
    assertThat(deployment.getMetadata().getLabels())
        .containsEntry(Labels.MANAGED_BY, Labels.MANAGER);
  }

  @Test
  void credentialsOnlyThroughSecretReferences() {
    var env = env(md());
    for (var key :
        new String[] {
          "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_TOKEN"
        }) {
      assertThat(env.get(key).getValue()).isNull();
      assertThat(env.get(key).getValueFrom().getSecretKeyRef().getName()).isEqualTo("mlflow-creds");
      assertThat(env.get(key).getValueFrom().getSecretKeyRef().getOptional()).isTrue();
    }
    for (var key : new String[] {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}) {
      assertThat(env.get(key).getValue()).isNull();
      assertThat(env.get(key).getValueFrom().getSecretKeyRef().getName()).isEqualTo("s3-creds");
      assertThat(env.get(key).getValueFrom().getSecretKeyRef().getKey()).isEqualTo(key);
    }
    var noSecrets = ModelDeployments.followingAlias("ml", "plain", "m", "production");
    assertThat(env(noSecrets))
        .doesNotContainKeys(
            "MLFLOW_TRACKING_USERNAME", "AWS_ACCESS_KEY_ID", "MLFLOW_S3_ENDPOINT_URL");
  }

  @Test
  void podIsRestrictedWithAWritableTmp() {
    var pod = ServerDeploymentDependent.desired(md(), PLAN).getSpec().getTemplate().getSpec();
    var sc = pod.getContainers().get(0).getSecurityContext();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(sc.getRunAsNonRoot()).isTrue();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
  }

  @Test
  void rolloutAndReplicasFollowTheSpec() {
    var md = md();
    var rolling =
        ServerDeploymentDependent.desired(md, PLAN).getSpec().getStrategy().getRollingUpdate();
    assertThat(rolling.getMaxUnavailable()).isEqualTo(new IntOrString(0));
    assertThat(rolling.getMaxSurge()).isEqualTo(new IntOrString(1));
    assertThat(ServerDeploymentDependent.desired(md, PLAN).getSpec().getReplicas()).isEqualTo(2);

    var rollout = new RolloutSpec();
    rollout.setMaxUnavailable(new IntOrString("25%"));
    rollout.setMaxSurge(new IntOrString(2));
    md.getSpec().setRollout(rollout);
    var server = new ServerSpec();
    server.setImage("custom/server:2");
    var batching = new BatchingSpec();
    batching.setMaxBatchSize(64);
    batching.setMaxDelayMillis(5);
    server.setBatching(batching);
    server.setMaxHorizon(90);
    md.getSpec().setServer(server);
    var plan = ServerPlan.of(md, "8", "default/image:1");
    var deployment = ServerDeploymentDependent.desired(md, plan);
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable())
        .isEqualTo(new IntOrString("25%"));
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge())
        .isEqualTo(new IntOrString(2));
    assertThat(container(md).getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .contains(
            org.assertj.core.groups.Tuple.tuple("ALMANAC_MAX_BATCH_SIZE", "64"),
            org.assertj.core.groups.Tuple.tuple("ALMANAC_MAX_DELAY_MILLIS", "5"),
            org.assertj.core.groups.Tuple.tuple("ALMANAC_MAX_HORIZON", "90"));
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("custom/server:2");
    assertThat(
            ServerPlan.of(
                    ModelDeployments.followingAlias("a", "b", "c", "d"), "1", "default/image:1")
                .image())
        .isEqualTo("default/image:1");

    var scaling = new AutoscalingSpec();
    scaling.setMaxReplicas(5);
    md.getSpec().setAutoscaling(scaling);
    assertThat(ServerDeploymentDependent.desired(md, plan).getSpec().getReplicas())
        .as("replicas belong to the HPA while autoscaling is on")
        .isNull();
  }

  @Test
  void serviceExposesTheNamedPort() {
    var service = ServerServiceDependent.desired(md());
    assertThat(service.getMetadata().getName()).isEqualTo("covid");
    assertThat(service.getSpec().getSelector()).isEqualTo(ServerNames.selector(md()));
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getPort()).isEqualTo(8080);
              assertThat(p.getTargetPort()).isEqualTo(new IntOrString("http"));
            });
    assertThat(ServerNames.url(md())).isEqualTo("http://covid.ml.svc:8080");
  }

  @Test
  void autoscalerTargetsTheDeploymentOnCpu() {
    var md = md();
    var scaling = new AutoscalingSpec();
    scaling.setMaxReplicas(5);
    md.getSpec().setAutoscaling(scaling);
    var hpa = ServerAutoscalerDependent.desired(md);
    assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("covid");
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(1);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(5);
    assertThat(hpa.getSpec().getMetrics())
        .singleElement()
        .satisfies(
            m -> assertThat(m.getResource().getTarget().getAverageUtilization()).isEqualTo(70));
    assertThat(new ServerAutoscalerDependent.Enabled().isMet(null, md, null)).isTrue();
    assertThat(new ServerAutoscalerDependent.Enabled().isMet(null, md(), null)).isFalse();
  }

  @Test
  void monitoringObjectsScrapeAndAlertOnThisServerOnly() {
    var md = md();
    var monitor = ServiceMonitorDependent.desired(md);
    assertThat(monitor.getSpec().getSelector().getMatchLabels())
        .isEqualTo(ServerNames.selector(md));
    assertThat(monitor.getSpec().getEndpoints())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getPort()).isEqualTo("http");
              assertThat(e.getPath()).isEqualTo("/metrics");
            });
    var rules = PrometheusRuleDependent.desired(md).getSpec().getGroups().get(0).getRules();
    assertThat(rules)
        .extracting(r -> r.getAlert())
        .containsExactly(
            "AlmanacModelServerErrorRatio",
            "AlmanacModelServerLatencyHigh",
            "AlmanacModelLoadFailed",
            "AlmanacInputDrift");
    assertThat(rules)
        .allSatisfy(
            r -> {
              assertThat(r.getExpr().getStrVal()).contains("namespace=\"ml\",service=\"covid\"");
              assertThat(r.getAnnotations()).containsKeys("summary", "description", "runbook_url");
              assertThat(r.getLabels()).containsKey("severity");
            });
    assertThat(ServiceMonitorDependent.requested(md)).isFalse();
    var monitoring = new dev.almanac.api.v1alpha1.deployment.MonitoringSpec();
    monitoring.setServiceMonitor(true);
    md.getSpec().setMonitoring(monitoring);
    assertThat(ServiceMonitorDependent.requested(md)).isTrue();
    assertThat(PrometheusRuleDependent.requested(md)).isFalse();
    assertThat(ServiceMonitorDependent.CRD).isEqualTo("servicemonitors.monitoring.coreos.com");
  }
}
