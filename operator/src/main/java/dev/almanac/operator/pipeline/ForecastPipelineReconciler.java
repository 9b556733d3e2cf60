package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.common.Reason;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.operator.Labels;
import dev.almanac.operator.config.PlatformDefaults;
import dev.almanac.operator.events.EventRecorder;
import dev.almanac.operator.metrics.AlmanacMetrics;
import dev.almanac.registry.RegistryException;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JOSDK shell of the ForecastPipeline controller: reads the pipeline's Jobs from a label-selected
 * informer, lets {@link PipelineSync} compute the next status, and writes it with one status patch
 * (a fresh object: JOSDK 5 patches status with server-side apply). A failed pass is classified here
 * (invalid spec: no retry; registry: retry after a delay; else JOSDK's backoff) and its conditions
 * set by {@link PipelineConditions}, as on success. Generation-aware filtering is off because the
 * verbs are annotations; an unchanged status returns {@code noUpdate()}, which ends the event loop
 * of our own status writes.
 */
@ControllerConfiguration(
    name = ForecastPipelineReconciler.NAME,
    generationAwareEventProcessing = false,
    triggerReconcilerOnAllEvents = true)
public final class ForecastPipelineReconciler implements Reconciler<ForecastPipeline> {
  public static final String NAME = "forecastpipeline";
  private static final Logger LOG = LoggerFactory.getLogger(ForecastPipelineReconciler.class);

  private final PipelineSync sync;
  private final EventRecorder events;
  private final AlmanacMetrics metrics;
  private final PipelineSettings settings;
  private final PipelineConditions conditions;

  public ForecastPipelineReconciler(
      PipelineSync sync,
      EventRecorder events,
      AlmanacMetrics metrics,
      PipelineSettings settings,
      Clock clock) {
    this.sync = sync;
    this.events = events;
    this.metrics = metrics;
    this.settings = settings;
    this.conditions = new PipelineConditions(clock);
  }

  @Override
  public List<EventSource<?, ForecastPipeline>> prepareEventSources(
      EventSourceContext<ForecastPipeline> context) {
    var jobs =
        InformerEventSourceConfiguration.from(Job.class, ForecastPipeline.class)
            .withLabelSelector(
                Labels.MANAGED_BY_SELECTOR + "," + Labels.COMPONENT + "=" + RunObjects.COMPONENT)
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(ForecastPipeline.class))
            .build();
    return List.of(new InformerEventSource<>(jobs, context));
  }

  @Override
  public UpdateControl<ForecastPipeline> reconcile(
      ForecastPipeline fp, Context<ForecastPipeline> context) {
    if (context.isPrimaryResourceDeleted() || context.isPrimaryResourceFinalStateUnknown()) {
      // owned Jobs and ConfigMaps go with it (owner references); only our own meters need
      // forgetting
      metrics.forgetPipeline(fp.getMetadata().getNamespace(), fp.getMetadata().getName());
      return UpdateControl.noUpdate();
    }
    // the platform's MLflow and S3 fill what the spec leaves out (a copy: the stored object is
    // unchanged)
    var effective = settings.defaults().applyTo(fp);
    PlatformDefaults.missing(effective.getSpec().getMlflow())
        .ifPresent(
            problem -> {
              throw new InvalidSpecException(PlatformDefaults.TRACKING_URI_FIELD, problem);
            });
    var outcome = sync.sync(effective, context.getSecondaryResources(Job.class));
    removeAnnotations(context.getClient(), fp, outcome.handledAnnotations());
    outcome.announce();
    metrics.reconciliation(NAME, true);
    UpdateControl<ForecastPipeline> control =
        StatusPatch.unchanged(fp.getStatus(), outcome.status())
            ? UpdateControl.noUpdate()
            : UpdateControl.patchStatus(StatusPatch.fresh(fp, outcome.status()));
    outcome.requeue().ifPresent(control::rescheduleAfter);
    return control;
  }

  @Override
  public ErrorStatusUpdateControl<ForecastPipeline> updateErrorStatus(
      ForecastPipeline fp, Context<ForecastPipeline> context, Exception e) {
    metrics.reconciliation(NAME, false);
    var status = StatusPatch.copy(fp.getStatus());
    var cause = unwrap(e);
    if (cause instanceof InvalidSpecException invalid) {
      conditions.invalidSpec(fp, status, invalid);
      events.warning(fp, Reason.InvalidSpec, invalid.getMessage());
      LOG.warn(
          "{}/{}: {}",
          fp.getMetadata().getNamespace(),
          fp.getMetadata().getName(),
          invalid.getMessage());
      return ErrorStatusUpdateControl.patchStatus(StatusPatch.fresh(fp, status)).withNoRetry();
    }
    if (cause instanceof RegistryException) {
      var message =
          "MLflow "
              + fp.getSpec().getMlflow().getTrackingUri()
              + " unreachable, retrying in "
              + settings.registryRetryDelay().toSeconds()
              + "s: "
              + cause.getMessage();
      conditions.registryUnavailable(fp, status, message);
      events.warning(fp, Reason.MlflowUnreachable, message);
      LOG.warn("{}/{}: {}", fp.getMetadata().getNamespace(), fp.getMetadata().getName(), message);
      return ErrorStatusUpdateControl.patchStatus(StatusPatch.fresh(fp, status))
          .rescheduleAfter(settings.registryRetryDelay());
    }
    LOG.error(
        "{}/{}: reconcile failed",
        fp.getMetadata().getNamespace(),
        fp.getMetadata().getName(),
        cause);
    conditions.reconcileFailed(fp, status, cause);
    return ErrorStatusUpdateControl.patchStatus(StatusPatch.fresh(fp, status));
  }

  /**
   * Verb annotations are one-shot: once acted on they are removed, so the same verb can be given
   * again.
   */
  private static void removeAnnotations(
      KubernetesClient client, ForecastPipeline fp, List<String> keys) {
    if (keys.isEmpty()) {
      return;
    }
    var body =
        keys.stream()
            .distinct()
            .map(k -> "\"" + k + "\":null")
            .collect(Collectors.joining(",", "{\"metadata\":{\"annotations\":{", "}}}"));
    client
        .resources(ForecastPipeline.class)
        .inNamespace(fp.getMetadata().getNamespace())
        .withName(fp.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), body);
  }

  private static Throwable unwrap(Exception e) {
    Throwable t = e;
    while (t.getCause() != null
        && !(t instanceof InvalidSpecException)
        && !(t instanceof RegistryException)
        && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
