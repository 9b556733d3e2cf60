package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/** The part of a JOSDK context the pipeline reconciler reads: the client and the owned Jobs. */
final class TestContext implements Context<ForecastPipeline> {
  private final KubernetesClient client;
  private final ForecastPipeline primary;
  private final Set<Job> jobs;
  private final boolean deleted;

  TestContext(KubernetesClient client, ForecastPipeline primary, Set<Job> jobs) {
    this(client, primary, jobs, false);
  }

  /**
   * @param deleted plays JOSDK's delete event (all-events mode): the primary is gone
   */
  TestContext(KubernetesClient client, ForecastPipeline primary, Set<Job> jobs, boolean deleted) {
    this.client = client;
    this.primary = primary;
    this.jobs = jobs;
    this.deleted = deleted;
  }

  @Override
  public Optional<RetryInfo> getRetryInfo() {
    return Optional.empty();
  }

  @Override
  @SuppressWarnings("unchecked")
  public <R> Set<R> getSecondaryResources(Class<R> type) {
    if (type != Job.class) {
      throw new UnsupportedOperationException(type.getName());
    }
    return (Set<R>) jobs;
  }

  @Override
  public <R> Optional<R> getSecondaryResource(Class<R> type, String name) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ControllerConfiguration<ForecastPipeline> getControllerConfiguration() {
    throw new UnsupportedOperationException();
  }

  @Override
  public ManagedWorkflowAndDependentResourceContext managedWorkflowAndDependentResourceContext() {
    throw new UnsupportedOperationException();
  }

  @Override
  public EventSourceRetriever<ForecastPipeline> eventSourceRetriever() {
    throw new UnsupportedOperationException();
  }

  @Override
  public KubernetesClient getClient() {
    return client;
  }

  @Override
  public ExecutorService getWorkflowExecutorService() {
    throw new UnsupportedOperationException();
  }

  @Override
  public ForecastPipeline getPrimaryResource() {
    return primary;
  }

  @Override
  public IndexedResourceCache<ForecastPipeline> getPrimaryCache() {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean isNextReconciliationImminent() {
    return false;
  }

  @Override
  public boolean isPrimaryResourceDeleted() {
    return deleted;
  }

  @Override
  public boolean isPrimaryResourceFinalStateUnknown() {
    return false;
  }
}
