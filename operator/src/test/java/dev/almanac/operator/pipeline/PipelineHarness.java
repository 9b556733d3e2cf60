package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.operator.events.EventRecorder;
import dev.almanac.operator.metrics.AlmanacMetrics;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.BaseControl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Drives {@link ForecastPipelineReconciler} by hand against a (mock or real) API server, applying
 * the returned status the way JOSDK would: reconcile N times, move the clock, assert objects.
 */
final class PipelineHarness {
  final KubernetesClient client;
  final String namespace;
  final MutableClock clock;
  final FakeRegistry registry = new FakeRegistry();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final ForecastPipelineReconciler reconciler;
  final PipelineSettings settings =
      new PipelineSettings("almanac-trainer:test", Duration.ofSeconds(5), 10);

  /** Plays an informer that has not seen the Jobs yet. */
  boolean staleJobCache;

  /** What one reconcile returned. */
  record Result(Optional<Duration> requeue, boolean noRetry, Exception error) {}

  PipelineHarness(KubernetesClient client, String namespace, Instant start) {
    this.client = client;
    this.namespace = namespace;
    this.clock = new MutableClock(start);
    var metrics = new AlmanacMetrics(meters);
    var events = new EventRecorder(client, clock);
    var promoter = new Promoter(events, metrics, new PromotionNotifier(), clock);
    var sync =
        new PipelineSync(
            client, (ns, spec) -> registry, events, metrics, promoter, settings, clock);
    reconciler = new ForecastPipelineReconciler(sync, events, metrics, settings, clock);
  }

  ForecastPipeline create(ForecastPipeline fp) {
    return client.resource(fp).create();
  }

  ForecastPipeline get(String name) {
    return client.resources(ForecastPipeline.class).inNamespace(namespace).withName(name).get();
  }

  List<Job> jobs() {
    return client.batch().v1().jobs().inNamespace(namespace).list().getItems();
  }

  List<String> jobNames() {
    return jobs().stream().map(j -> j.getMetadata().getName()).sorted().toList();
  }

  List<Event> events(String reason) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  Result reconcile(String name) {
    var fp = get(name);
    var owned =
        staleJobCache
            ? java.util.Set.<Job>of()
            : jobs().stream()
                .filter(
                    j ->
                        j.getMetadata().getOwnerReferences().stream()
                            .anyMatch(o -> o.getUid().equals(fp.getMetadata().getUid())))
                .collect(Collectors.toSet());
    var context = new TestContext(client, fp, owned);
    try {
      var control = reconciler.reconcile(fp, context);
      if (control.isPatchStatus()) {
        applyStatus(control.getResource().orElseThrow());
      }
      return new Result(delay(control), false, null);
    } catch (Exception e) {
      var control = reconciler.updateErrorStatus(fp, context, e);
      control.getResource().ifPresent(this::applyStatus);
      return new Result(delay(control), control.isNoRetry(), e);
    }
  }

  /**
   * What JOSDK does when the pipeline is deleted (all-events mode): one more reconcile, told so.
   */
  void deleted(String name) {
    var fp = get(name);
    reconciler.reconcile(fp, new TestContext(client, fp, java.util.Set.of(), true));
  }

  private static Optional<Duration> delay(BaseControl<?> control) {
    return control.getScheduleDelay().map(Duration::ofMillis);
  }

  private void applyStatus(ForecastPipeline fresh) {
    var current = get(fresh.getMetadata().getName());
    current.setStatus(fresh.getStatus());
    client.resource(current).updateStatus();
  }
}
