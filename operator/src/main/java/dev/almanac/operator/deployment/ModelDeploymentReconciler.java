package dev.almanac.operator.deployment;

import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.api.v1alpha1.deployment.ModelDeploymentStatus;
import dev.almanac.operator.config.PlatformDefaults;
import dev.almanac.operator.config.ServerNetworkSettings;
import dev.almanac.operator.deployment.ModelVersionResolver.Resolution;
import dev.almanac.operator.events.EventRecorder;
import dev.almanac.operator.metrics.AlmanacMetrics;
import dev.almanac.operator.registry.RegistryPorts;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Serves a registered model: resolve {@code spec.model} to an exact version (registry), hand it to
 * the dependents (Deployment, Service, PodDisruptionBudget, HPA, NetworkPolicy, ServiceMonitor,
 * PrometheusRule), write one status. The workflow is invoked explicitly because the Deployment
 * needs the version resolved first; it is skipped while the model cannot be resolved, so a missing
 * model keeps the last version serving.
 */
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(name = ServerDeploymentDependent.NAME, type = ServerDeploymentDependent.class),
      @Dependent(name = ServerServiceDependent.NAME, type = ServerServiceDependent.class),
      @Dependent(
          name = ServerDisruptionBudgetDependent.NAME,
          type = ServerDisruptionBudgetDependent.class),
      @Dependent(
          name = ServerAutoscalerDependent.NAME,
          type = ServerAutoscalerDependent.class,
          reconcilePrecondition = ServerAutoscalerDependent.Enabled.class),
      @Dependent(
          name = ServiceMonitorDependent.NAME,
          type = ServiceMonitorDependent.class,
          activationCondition = ServiceMonitorDependent.CrdPresent.class,
          reconcilePrecondition = ServiceMonitorDependent.Requested.class),
      @Dependent(
          name = ServerNetworkPolicyDependent.NAME,
          type = ServerNetworkPolicyDependent.class,
          reconcilePrecondition = ServerNetworkPolicyDependent.Enabled.class),
      @Dependent(
          name = PrometheusRuleDependent.NAME,
          type = PrometheusRuleDependent.class,
          activationCondition = PrometheusRuleDependent.CrdPresent.class,
          reconcilePrecondition = PrometheusRuleDependent.Requested.class)
    })
@ControllerConfiguration(name = ModelDeploymentReconciler.NAME)
public final class ModelDeploymentReconciler implements Reconciler<ModelDeployment> {
  public static final String NAME = "modeldeployment";

  private final ModelVersionResolver resolver;
  private final DeploymentStatusAggregator aggregator;
  private final DeploymentEvents announcer;
  private final EventRecorder events;
  private final PromotionTrigger promotions = new PromotionTrigger();
  private final AlmanacMetrics metrics;
  private final String defaultServerImage;
  private final Duration pollInterval;
  private final PlatformDefaults defaults;
  private final ServerNetworkSettings network;
  private static final Duration ROLLING_RECHECK = Duration.ofSeconds(10);
  private volatile DeletedDeploymentWatch deletedWatch;

  /**
   * @param metrics {@link AlmanacMetrics#discarding()} in tests that count nothing
   */
  public ModelDeploymentReconciler(
      KubernetesClient client,
      RegistryPorts registries,
      Clock clock,
      AlmanacMetrics metrics,
      DeploymentSettings settings) {
    this.network = settings.network();
    this.defaults = settings.defaults();
    this.metrics = metrics;
    this.resolver = new ModelVersionResolver(registries);
    this.aggregator = new DeploymentStatusAggregator(clock);
    this.events = new EventRecorder(client, clock);
    this.announcer = new DeploymentEvents(events);
    this.defaultServerImage = settings.serverImage();
    this.pollInterval = settings.registryPoll();
  }

  /**
   * A ForecastPipeline promoted or rolled back a version of {@code registeredModel}: re-resolve the
   * ModelDeployments of {@code namespace} that follow it by alias or stage, now rather than at the
   * next poll. Thread-safe, non-blocking; returns how many were queued.
   */
  public int onPromotion(String namespace, String registeredModel) {
    return promotions.fire(namespace, registeredModel);
  }

  @Override
  public List<EventSource<?, ModelDeployment>> prepareEventSources(
      EventSourceContext<ModelDeployment> context) {
    deletedWatch = new DeletedDeploymentWatch(context, metrics);
    return List.of(promotions.eventSource(context.getPrimaryCache()), deletedWatch);
  }

  @Override
  public UpdateControl<ModelDeployment> reconcile(
      ModelDeployment stored, Context<ModelDeployment> context) {
    // the platform's MLflow and S3 fill what the spec leaves out (a copy: the stored object is
    // unchanged)
    var md = defaults.applyTo(stored);
    var missing = PlatformDefaults.missing(md.getSpec().getMlflow());
    if (missing.isPresent()) {
      var message = "spec." + PlatformDefaults.TRACKING_URI_FIELD + " " + missing.get();
      var invalid =
          aggregator.invalid(
              md,
              stored.getStatus() == null
                  ? new ModelDeploymentStatus()
                  : context.getClient().getKubernetesSerialization().clone(stored.getStatus()),
              message);
      events.warning(md, dev.almanac.api.v1alpha1.common.Reason.InvalidSpec, message);
      metrics.reconciliation(NAME, true);
      writeStatus(md, invalid, context);
      return UpdateControl
          .noUpdate(); // nothing to retry: the spec or the operator's settings must change
    }
    var resolution = resolver.resolve(md);
    Optional<String> monitoringProblem = Optional.empty();
    // A missing model leaves every owned object as it is: the pods keep serving the last resolved
    // version (kept in status), even if the same edit also changed the model name or the replicas.
    if (resolution instanceof Resolution.Resolved resolved) {
      ServerPlan.of(md, resolved.version(), defaultServerImage).putInto(context);
      context
          .managedWorkflowAndDependentResourceContext()
          .put(ServerNetworkSettings.class, network);
      var result = context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
      monitoringProblem = MonitoringAvailability.problem(md, result);
    }
    var rollout =
        context
            .getSecondaryResource(Deployment.class)
            .map(RolloutObservation::of)
            .map(r -> r.complete() ? r : r.withPodProblem(podProblem(md, context)));
    var next = aggregator.next(md, resolution, rollout, monitoringProblem);
    announcer.announce(md, resolution, next, monitoringProblem);
    metrics.deploymentVersionMismatch(
        md.getMetadata().getNamespace(),
        md.getMetadata().getName(),
        !Objects.equals(next.getServingVersion(), next.getResolvedVersion()));
    // A delete the watch handled while this reconcile ran already forgot the meters: do not bring
    // them back (its cache drops the resource before its handler runs, so there is no gap).
    var watch = deletedWatch;
    if (watch != null
        && watch
            .get(io.javaoperatorsdk.operator.processing.event.ResourceID.fromResource(md))
            .isEmpty()) {
      metrics.forgetDeployment(md.getMetadata().getNamespace(), md.getMetadata().getName());
    }
    metrics.reconciliation(NAME, true);
    var serialization = context.getClient().getKubernetesSerialization();
    if (md.getStatus() == null
        || !serialization.asJson(md.getStatus()).equals(serialization.asJson(next))) {
      writeStatus(md, next, context);
    }
    // While pods roll, look again soon: a pod's image error changes no Deployment field we watch.
    var rolling = rollout.isPresent() && !rollout.get().complete();
    return UpdateControl.<ModelDeployment>noUpdate()
        .rescheduleAfter(
            rolling && ROLLING_RECHECK.compareTo(pollInterval) < 0
                ? ROLLING_RECHECK
                : pollInterval);
  }

  /** Only while a rollout is under way: a settled server needs no pod list. */
  private static String podProblem(ModelDeployment md, Context<ModelDeployment> context) {
    var pods =
        context
            .getClient()
            .pods()
            .inNamespace(md.getMetadata().getNamespace())
            .withLabels(ServerNames.selector(md))
            .list()
            .getItems();
    return PodStartProblems.imageProblem(pods);
  }

  @Override
  public ErrorStatusUpdateControl<ModelDeployment> updateErrorStatus(
      ModelDeployment md, Context<ModelDeployment> context, Exception e) {
    metrics.reconciliation(NAME, false);
    var previous =
        md.getStatus() == null
            ? new ModelDeploymentStatus()
            : context.getClient().getKubernetesSerialization().clone(md.getStatus());
    var failure = aggregator.failed(md, previous, e);
    events.warning(md, failure.reason(), failure.message());
    writeStatus(md, failure.status(), context);
    var control = ErrorStatusUpdateControl.<ModelDeployment>noStatusUpdate();
    // JOSDK's backoff first; once it gives up, keep trying at the poll interval.
    return context.getRetryInfo().filter(RetryInfo::isLastAttempt).isPresent()
        ? control.rescheduleAfter(pollInterval)
        : control;
  }

  /**
   * The one status write of a reconcile. The next reconcile reads {@code resolvedVersion} back (the
   * version kept when the model disappears), so the write goes through JOSDK's cache-aware patch: a
   * plain {@code UpdateControl.patchStatus} can leave the next reconcile a stale primary from the
   * informer, and it would then forget the version it serves.
   */
  private static void writeStatus(
      ModelDeployment md, ModelDeploymentStatus status, Context<ModelDeployment> context) {
    if (context
        .getControllerConfiguration()
        .getConfigurationService()
        .useSSAToPatchPrimaryResource()) {
      PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(md, fresh(md, status), context);
    } else { // the fabric8 mock server (tests) does not speak server-side apply
      PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(
          md,
          context,
          r -> { // JSON Patch
            r.setStatus(status);
            return r;
          });
    }
  }

  /** Only name, namespace and status: with server-side apply this object is the whole intent. */
  private static ModelDeployment fresh(ModelDeployment md, ModelDeploymentStatus status) {
    var fresh = new ModelDeployment();
    fresh.setMetadata(
        new ObjectMetaBuilder()
            .withName(md.getMetadata().getName())
            .withNamespace(md.getMetadata().getNamespace())
            .build());
    fresh.setStatus(status);
    return fresh;
  }
}
