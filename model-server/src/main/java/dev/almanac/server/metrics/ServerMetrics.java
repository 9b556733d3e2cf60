package dev.almanac.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The model server's Prometheus metrics, named as in the metrics contract (METRICS.md): {@code
 * almanac_server_*}. Micrometer appends {@code _total} to counters and {@code _seconds} to timers.
 */
public final class ServerMetrics {
  private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256};

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicInteger ready = new AtomicInteger();
  private final Map<String, Meter.Id> infoByModel = new ConcurrentHashMap<>();
  private final Map<RouteKey, RouteMeters> routeMeters = new ConcurrentHashMap<>();
  // registered up front: an alert on them sees 0, not an absent series
  private final Counter adminMissingToken = adminUnauthorized("missing");
  private final Counter adminInvalidToken = adminUnauthorized("invalid");

  public ServerMetrics() {
    Gauge.builder("almanac.server.ready", ready, AtomicInteger::get)
        .description("1 when every model is loaded and warmed up")
        .register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public String scrape() {
    return registry.scrape();
  }

  public void ready(boolean value) {
    ready.set(value ? 1 : 0);
  }

  /**
   * An admin-port request refused with 401: {@code missing} bearer token, or an {@code invalid}
   * one.
   */
  public void adminUnauthorized(boolean missing) {
    (missing ? adminMissingToken : adminInvalidToken).increment();
  }

  private Counter adminUnauthorized(String reason) {
    return Counter.builder("almanac.server.admin.unauthorized")
        .description("admin-port requests refused for a missing or wrong bearer token")
        .tag("reason", reason)
        .register(registry);
  }

  public void request(String route, String model, String version, int code, long nanos) {
    RouteMeters m =
        routeMeters.computeIfAbsent(new RouteKey(route, model, version), this::routeMeters);
    m.duration.record(nanos, TimeUnit.NANOSECONDS);
    m.counter(code).increment();
  }

  private RouteMeters routeMeters(RouteKey k) {
    Timer duration =
        Timer.builder("almanac.server.request.duration")
            .description("HTTP request latency")
            .tag("route", k.route())
            .tag("model", k.model())
            .tag("version", k.version())
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(50_000))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
    return new RouteMeters(k, duration);
  }

  /** Meters of one served model version, looked up once per load instead of once per batch. */
  public ModelMeters model(String model, String version) {
    Timer inference =
        Timer.builder("almanac.server.inference.duration")
            .description("model time per batch")
            .tag("model", model)
            .tag("version", version)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(10_000))
            .maximumExpectedValue(Duration.ofSeconds(5))
            .register(registry);
    DistributionSummary batch =
        DistributionSummary.builder("almanac.server.batch.size")
            .description("rows per inference batch")
            .tag("model", model)
            .serviceLevelObjectives(BATCH_BUCKETS)
            .register(registry);
    return new ModelMeters(inference, batch);
  }

  public void modelLoaded(String model, long nanos) {
    loadTimer(model).record(nanos, TimeUnit.NANOSECONDS);
  }

  public void modelLoadFailed(String model) {
    Counter.builder("almanac.server.model.load.failures")
        .description("failed (re)loads")
        .tag("model", model)
        .register(registry)
        .increment();
  }

  /** Points {@code almanac_server_model_info} of {@code model} at the version now served. */
  public void serving(String model, String version, String task) {
    Meter.Id old = infoByModel.remove(model);
    if (old != null) {
      registry.remove(old);
    }
    Gauge g =
        Gauge.builder("almanac.server.model.info", () -> 1)
            .description("the version being served")
            .tag("model", model)
            .tag("version", version)
            .tag("task", task)
            .register(registry);
    infoByModel.put(model, g.getId());
  }

  private Timer loadTimer(String model) {
    return Timer.builder("almanac.server.model.load.duration")
        .description("load + warm-up time")
        .tag("model", model)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(10))
        .register(registry);
  }

  private record RouteKey(String route, String model, String version) {}

  /**
   * The request meters of one route and model version, found with one map lookup per request; a
   * status code's counter is registered on its first use.
   */
  private final class RouteMeters {
    private final RouteKey key;
    private final Timer duration;
    private final AtomicReferenceArray<Counter> byCode =
        new AtomicReferenceArray<>(600); // HTTP codes are below 600

    RouteMeters(RouteKey key, Timer duration) {
      this.key = key;
      this.duration = duration;
    }

    Counter counter(int code) {
      if (code < 0 || code >= byCode.length()) {
        return register(code);
      }
      Counter c = byCode.get(code);
      if (c == null) {
        // racing threads get the same counter back from the registry
        c = register(code);
        byCode.set(code, c);
      }
      return c;
    }

    private Counter register(int code) {
      return Counter.builder("almanac.server.requests")
          .description("HTTP requests")
          .tag("route", key.route())
          .tag("model", key.model())
          .tag("version", key.version())
          .tag("code", Integer.toString(code))
          .register(registry);
    }
  }

  /** Per-version inference meters. */
  public record ModelMeters(Timer inference, DistributionSummary batchSize) {}
}
