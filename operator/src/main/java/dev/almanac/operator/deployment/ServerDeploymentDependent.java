package dev.almanac.operator.deployment;

import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.api.v1alpha1.deployment.ModelDeploymentSpec;
import dev.almanac.operator.Annotations;
import dev.almanac.operator.Labels;
import dev.almanac.operator.workload.WorkloadEnvironment;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The model server Deployment. The exact model version is both in {@code ALMANAC_MODELS} and in the
 * pod template annotation {@link Annotations#MODEL_VERSION}, so a new version is an ordinary
 * rolling update, and with {@code maxUnavailable: 0} a version whose pods never get ready never
 * takes traffic. Replicas are left out while autoscaling is on: with server-side apply the HPA
 * keeps owning them.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_BY_SELECTOR))
public final class ServerDeploymentDependent
    extends CRUDKubernetesDependentResource<Deployment, ModelDeployment> {
  public static final String NAME = "server-deployment";
  public static final String CONTAINER = "model-server";
  public static final List<String> COMMAND =
      List.of("java", "-jar", "/app/almanac-model-server.jar");
  static final int DEFAULT_MAX_BATCH_SIZE = 32;
  static final int DEFAULT_MAX_DELAY_MILLIS = 0;
  static final int DEFAULT_MAX_HORIZON = 365;
  static final long PRE_STOP_SLEEP_SECONDS = 5L;

  public ServerDeploymentDependent() {
    super(Deployment.class);
  }

  @Override
  protected Deployment desired(ModelDeployment md, Context<ModelDeployment> context) {
    var plan = ServerPlan.from(context);
    return desired(plan.resource() != null ? plan.resource() : md, plan);
  }

  /** The whole desired Deployment, a pure function of the resource and the plan. */
  public static Deployment desired(ModelDeployment md, ServerPlan plan) {
    var spec = md.getSpec();
    var rollout = spec.getRollout();
    var maxUnavailable =
        rollout != null && rollout.getMaxUnavailable() != null
            ? rollout.getMaxUnavailable()
            : new IntOrString(0);
    var maxSurge =
        rollout != null && rollout.getMaxSurge() != null
            ? rollout.getMaxSurge()
            : new IntOrString(1);
    var podLabels = ServerNames.labels(md);
    var container =
        new ContainerBuilder()
            .withName(CONTAINER)
            .withImage(plan.image())
            .withCommand(COMMAND)
            .addNewPort()
            .withName(ServerNames.PORT_NAME)
            .withContainerPort(ServerNames.PORT)
            .withProtocol("TCP")
            .endPort()
            .addAllToPorts(ServerSecurity.ports(md))
            .withEnv(env(md, plan))
            .withResources(resources(spec))
            // Ready within a second of the model being warm: the kubelet only marks a pod Ready on
            // a probe tick, and a 5 s period added up to 5 s to every rollout step.
            .withReadinessProbe(probe(md, "/v2/health/ready", 1, 5))
            // The JVM may start slowly on a busy node: the startup probe gives it two minutes
            // before the liveness probe may restart it, without delaying a fast start.
            .withStartupProbe(probe(md, "/v2/health/live", 1, 120))
            .withLivenessProbe(probe(md, "/v2/health/live", 10, 3))
            // Endpoint removal reaches kube-proxy after the kubelet sends SIGTERM; keep serving
            // meanwhile so a rolling update under load fails no request (measured on a real node,
            // node-tests).
            .withNewLifecycle()
            .withNewPreStop()
            .withNewSleep()
            .withSeconds(PRE_STOP_SLEEP_SECONDS)
            .endSleep()
            .endPreStop()
            .endLifecycle()
            .withSecurityContext(WorkloadEnvironment.containerSecurityContext())
            .addToVolumeMounts(WorkloadEnvironment.tmpMount())
            .addAllToVolumeMounts(ServerSecurity.mounts(md))
            .build();
    var builder =
        new DeploymentBuilder()
            .withMetadata(ServerNames.meta(md))
            .withNewSpec()
            .withNewSelector()
            .withMatchLabels(ServerNames.selector(md))
            .endSelector()
            .withRevisionHistoryLimit(3)
            .withNewStrategy()
            .withType("RollingUpdate")
            .withNewRollingUpdate()
            .withMaxUnavailable(maxUnavailable)
            .withMaxSurge(maxSurge)
            .endRollingUpdate()
            .endStrategy()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(podLabels)
            .withAnnotations(Map.of(Annotations.MODEL_VERSION, plan.version()))
            .endMetadata()
            .withNewSpec()
            .withAutomountServiceAccountToken(false)
            .withSecurityContext(WorkloadEnvironment.podSecurityContext())
            .withContainers(container)
            .addToVolumes(WorkloadEnvironment.tmpVolume())
            .addAllToVolumes(ServerSecurity.volumes(md))
            .endSpec()
            .endTemplate()
            .endSpec();
    if (spec.getAutoscaling() == null) {
      builder
          .editSpec()
          .withReplicas(spec.getReplicas() == null ? 1 : spec.getReplicas())
          .endSpec();
    }
    return builder.build();
  }

  /** An HTTP(S) GET probe on the serving port with a 2 s timeout. */
  private static io.fabric8.kubernetes.api.model.Probe probe(
      ModelDeployment md, String path, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString(ServerNames.PORT_NAME))
        .withScheme(ServerSecurity.scheme(md))
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withFailureThreshold(failureThreshold)
        .withTimeoutSeconds(2)
        .build();
  }

  static List<EnvVar> env(ModelDeployment md, ServerPlan plan) {
    var spec = md.getSpec();
    var server = spec.getServer();
    var batching = server == null ? null : server.getBatching();
    var env = new ArrayList<EnvVar>();
    env.add(
        value(
            "ALMANAC_MODELS",
            "models:/" + spec.getModel().getRegisteredModel() + "/" + plan.version()));
    env.add(value("ALMANAC_PORT", Integer.toString(ServerNames.PORT)));
    env.add(
        value(
            "ALMANAC_MAX_BATCH_SIZE",
            Integer.toString(
                batching != null && batching.getMaxBatchSize() != null
                    ? batching.getMaxBatchSize()
                    : DEFAULT_MAX_BATCH_SIZE)));
    env.add(
        value(
            "ALMANAC_MAX_DELAY_MILLIS",
            Integer.toString(
                batching != null && batching.getMaxDelayMillis() != null
                    ? batching.getMaxDelayMillis()
                    : DEFAULT_MAX_DELAY_MILLIS)));
    env.add(
        value(
            "ALMANAC_MAX_HORIZON",
            Integer.toString(
                server != null && server.getMaxHorizon() != null
                    ? server.getMaxHorizon()
                    : DEFAULT_MAX_HORIZON)));
    env.addAll(WorkloadEnvironment.registry(spec.getMlflow(), spec.getArtifacts()));
    env.addAll(ServerSecurity.env(md));
    env.addAll(ServerMonitoringEnvironment.of(spec.getMonitoring()));
    env.addAll(WorkloadEnvironment.offline());
    // DJL's caches and the ONNX Runtime natives go to the writable /tmp
    env.add(value("DJL_CACHE_DIR", "/tmp/djl"));
    env.add(value("ENGINE_CACHE_DIR", "/tmp/djl"));
    return env;
  }

  static ResourceRequirements resources(ModelDeploymentSpec spec) {
    var server = spec.getServer();
    if (server != null && server.getResources() != null) {
      return server.getResources();
    }
    // CPU requests are what the HPA's utilisation target is a percentage of.
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("250m"))
        .addToRequests("memory", new Quantity("512Mi"))
        .addToLimits("memory", new Quantity("1Gi"))
        .build();
  }

  private static EnvVar value(String name, String value) {
    return WorkloadEnvironment.value(name, value);
  }
}
