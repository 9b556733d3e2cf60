package dev.almanac.server.monitoring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The drift gauges of the served classifiers: {@code almanac_server_input_drift_psi{model,version,
 * feature}} per symptom (132 series per served model), {@code _psi_max} and {@code _psi_mean} over
 * all symptoms, and {@code almanac_server_input_drift_windows_total}. NaN until a window finished.
 * A new version of a model replaces the meters of the one before, so a retired version's drift
 * cannot keep an alert firing.
 */
public final class InputDriftMetrics {
  private final MeterRegistry registry;
  private final Map<String, List<Meter.Id>> byModel = new ConcurrentHashMap<>();

  public InputDriftMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public synchronized void register(String model, String version, InputDriftMonitor monitor) {
    unregister(model);
    List<Meter.Id> ids = new ArrayList<>();
    List<String> features = monitor.features();
    for (int i = 0; i < features.size(); i++) {
      int f = i;
      ids.add(
          gauge("almanac.server.input.drift.psi", model, version, monitor, s -> s.psi()[f])
              .tag("feature", features.get(f))
              .description("PSI of one symptom's request frequency vs training, last window")
              .register(registry)
              .getId());
    }
    ids.add(
        gauge("almanac.server.input.drift.psi.max", model, version, monitor, s -> s.max())
            .description("largest per-symptom PSI of the last window")
            .register(registry)
            .getId());
    ids.add(
        gauge("almanac.server.input.drift.psi.mean", model, version, monitor, s -> s.mean())
            .description("mean per-symptom PSI of the last window")
            .register(registry)
            .getId());
    ids.add(
        FunctionCounter.builder(
                "almanac.server.input.drift.windows", monitor, InputDriftMonitor::windows)
            .description("finished drift windows")
            .tag("model", model)
            .tag("version", version)
            .register(registry)
            .getId());
    byModel.put(model, ids);
  }

  public synchronized void unregister(String model) {
    List<Meter.Id> old = byModel.remove(model);
    if (old != null) {
      old.forEach(registry::remove);
    }
  }

  private static Gauge.Builder<InputDriftMonitor> gauge(
      String name,
      String model,
      String version,
      InputDriftMonitor monitor,
      ToDoubleFunction<InputDriftMonitor.Snapshot> value) {
    return Gauge.builder(name, monitor, m -> m.last().map(value::applyAsDouble).orElse(Double.NaN))
        .tag("model", model)
        .tag("version", version);
  }
}
