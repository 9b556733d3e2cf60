package dev.almanac.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The operator's {@code almanac_*} meters (names fixed by helpers/METRICS.md; alert rules and the
 * Grafana dashboard match on them). Micrometer adds {@code _total} to counters and {@code _seconds}
 * to timers when it exports to Prometheus.
 */
public final class AlmanacMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicReference<Double>> gauges = new ConcurrentHashMap<>();
  private final Map<String, String> holdoutVersion = new ConcurrentHashMap<>();

  public AlmanacMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Meters that go nowhere (tests that do not look at metrics). */
  public static AlmanacMetrics discarding() {
    return new AlmanacMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void trainingRun(String namespace, String pipeline, boolean succeeded, Duration duration) {
    Counter.builder("almanac.training.runs")
        .description("Finished training runs")
        .tags(
            "namespace",
            namespace,
            "pipeline",
            pipeline,
            "result",
            succeeded ? "succeeded" : "failed")
        .register(registry)
        .increment();
    if (duration != null && !duration.isNegative()) {
      Timer.builder("almanac.training.run.duration")
          .description("Training Job start to completion")
          .tags("namespace", namespace, "pipeline", pipeline)
          .publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofSeconds(10))
          .maximumExpectedValue(Duration.ofHours(6))
          .register(registry)
          .record(duration);
    }
  }

  public void lastSuccessfulTraining(String namespace, String pipeline, long epochSeconds) {
    gauge(
        "almanac.last.successful.training.timestamp.seconds",
        "Unix time of the last successful run",
        Tags.of("namespace", namespace, "pipeline", pipeline),
        epochSeconds);
  }

  /** {@code seconds} null removes the series (unscheduled pipeline). */
  public void scheduleInterval(String namespace, String pipeline, Long seconds) {
    var tags = Tags.of("namespace", namespace, "pipeline", pipeline);
    var name = "almanac.pipeline.schedule.interval.seconds";
    if (seconds == null) {
      var key = key(name, tags);
      if (gauges.remove(key) != null) {
        registry.find(name).tags(tags).meters().forEach(registry::remove);
      }
      return;
    }
    gauge(name, "Seconds between two scheduled runs", tags, seconds);
  }

  /** {@code kind}: automatic, manual or rollback. */
  public void promotion(String namespace, String pipeline, String kind) {
    Counter.builder("almanac.promotions")
        .description("Alias and stage moves")
        .tags("namespace", namespace, "pipeline", pipeline, "kind", kind)
        .register(registry)
        .increment();
  }

  /** {@code gate}: threshold or champion. */
  public void gateFailure(String namespace, String pipeline, String gate) {
    Counter.builder("almanac.gate.failures")
        .description("Runs rejected by a gate")
        .tags("namespace", namespace, "pipeline", pipeline, "gate", gate)
        .register(registry)
        .increment();
  }

  public void consecutiveGateFailures(String namespace, String pipeline, int count) {
    gauge(
        "almanac.consecutive.gate.failures",
        "Runs in a row rejected by gates",
        Tags.of("namespace", namespace, "pipeline", pipeline),
        count);
  }

  /**
   * The holdout metric of the newest registered version; the previous version's series is removed.
   */
  public void holdoutMetric(
      String namespace, String pipeline, String metric, String version, double value) {
    var owner = namespace + "/" + pipeline + "/" + metric;
    var name = "almanac.model.holdout.metric";
    var previous = holdoutVersion.put(owner, version);
    if (previous != null && !previous.equals(version)) {
      var old =
          Tags.of(
              "namespace", namespace, "pipeline", pipeline, "metric", metric, "version", previous);
      gauges.remove(key(name, old));
      registry.find(name).tags(old).meters().forEach(registry::remove);
    }
    gauge(
        name,
        "Holdout metric of the latest registered version",
        Tags.of("namespace", namespace, "pipeline", pipeline, "metric", metric, "version", version),
        value);
  }

  /**
   * Realized accuracy a training run scored ({@code realized_mase.v<version>.<series>} and {@code
   * holdout_mase.v<version>} in its metrics): gauges {@code almanac_forecast_realized_mase} per
   * version and series and {@code almanac_forecast_holdout_mase} per version. The run's scores
   * replace the pipeline's previous ones (a version no longer scored stops being exported).
   */
  public void realizedAccuracy(String namespace, String pipeline, Map<String, String> runMetrics) {
    var realized = "almanac.forecast.realized.mase";
    var holdout = "almanac.forecast.holdout.mase";
    var fresh = new java.util.HashSet<String>();
    for (var e : runMetrics.entrySet()) {
      var m = REALIZED_KEY.matcher(e.getKey());
      double value;
      try {
        value = Double.parseDouble(e.getValue());
      } catch (NumberFormatException notANumber) {
        continue;
      }
      if (!m.matches() || !Double.isFinite(value)) {
        continue;
      }
      var series = m.group(3);
      if ("realized_mase".equals(m.group(1)) && series != null) {
        var tags =
            Tags.of(
                "namespace",
                namespace,
                "pipeline",
                pipeline,
                "version",
                m.group(2),
                "series",
                series);
        gauge(
            realized,
            "Realized MASE of a version's stored forecasts on the actuals that arrived later",
            tags,
            value);
        fresh.add(key(realized, tags));
      } else if ("holdout_mase".equals(m.group(1)) && series == null) {
        var tags = Tags.of("namespace", namespace, "pipeline", pipeline, "version", m.group(2));
        gauge(holdout, "Holdout MASE of a version whose forecasts were scored", tags, value);
        fresh.add(key(holdout, tags));
      }
    }
    if (fresh.isEmpty()) {
      return; // a run that scored nothing (no actuals yet, database unreachable) keeps the last
      // scores
    }
    for (Meter meter : List.copyOf(registry.getMeters())) {
      var id = meter.getId();
      if ((id.getName().equals(realized) || id.getName().equals(holdout))
          && namespace.equals(id.getTag("namespace"))
          && pipeline.equals(id.getTag("pipeline"))
          && !fresh.contains(key(id.getName(), Tags.of(id.getTags())))) {
        registry.remove(meter);
        gauges.remove(key(id.getName(), Tags.of(id.getTags())));
      }
    }
  }

  private static final java.util.regex.Pattern REALIZED_KEY =
      java.util.regex.Pattern.compile("^(realized_mase|holdout_mase)\\.v([^.]+)(?:\\.(.+))?$");

  /** {@code controller}: forecastpipeline or modeldeployment. */
  public void reconciliation(String controller, boolean success) {
    Counter.builder("almanac.reconciliations")
        .description("Reconcile outcomes")
        .tags("controller", controller, "result", success ? "success" : "error")
        .register(registry)
        .increment();
  }

  public void deploymentVersionMismatch(String namespace, String deployment, boolean mismatch) {
    gauge(
        "almanac.deployment.version.mismatch",
        "1 while servingVersion != resolvedVersion",
        Tags.of("namespace", namespace, "deployment", deployment),
        mismatch ? 1 : 0);
  }

  public void registryError(String operation) {
    Counter.builder("almanac.registry.errors")
        .description("MLflow/S3 calls that failed")
        .tags("operation", operation)
        .register(registry)
        .increment();
  }

  /**
   * Drops every series of a deleted pipeline. A gauge left behind would keep alerts firing for
   * something that no longer exists (e.g. the age of its last successful training).
   */
  public void forgetPipeline(String namespace, String pipeline) {
    forget(Tags.of("namespace", namespace, "pipeline", pipeline));
    holdoutVersion.keySet().removeIf(k -> k.startsWith(namespace + "/" + pipeline + "/"));
  }

  /** Drops every series of a deleted ModelDeployment. */
  public void forgetDeployment(String namespace, String deployment) {
    forget(Tags.of("namespace", namespace, "deployment", deployment));
  }

  private void forget(Tags owner) {
    for (Meter m : List.copyOf(registry.getMeters())) {
      if (owner.stream().allMatch(t -> t.getValue().equals(m.getId().getTag(t.getKey())))) {
        registry.remove(m);
        gauges.remove(key(m.getId().getName(), Tags.of(m.getId().getTags())));
      }
    }
  }

  private void gauge(String name, String description, Tags tags, double value) {
    gauges
        .computeIfAbsent(
            key(name, tags),
            k -> {
              var holder = new AtomicReference<>(value);
              Gauge.builder(name, holder, AtomicReference::get)
                  .description(description)
                  .tags(tags)
                  .register(registry);
              return holder;
            })
        .set(value);
  }

  private static String key(String name, Tags tags) {
    var b = new StringBuilder(name);
    tags.forEach(t -> b.append('|').append(t.getKey()).append('=').append(t.getValue()));
    return b.toString();
  }
}
