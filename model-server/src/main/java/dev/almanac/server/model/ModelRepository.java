package dev.almanac.server.model;

import dev.almanac.server.metrics.ServerMetrics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models this process serves, by name. A (re)load builds and warms the new version beside the
 * old one and swaps it in atomically; the old one drains its in-flight requests and closes itself.
 * A failed load changes nothing but the failure counter.
 */
public final class ModelRepository {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRepository.class);

  private final ModelLoader loader;
  private final ServerMetrics metrics;
  private final Map<String, ServedModel> models = new ConcurrentHashMap<>();
  private final Map<String, Object> loadLocks = new ConcurrentHashMap<>();

  public ModelRepository(ModelLoader loader, ServerMetrics metrics) {
    this.loader = loader;
    this.metrics = metrics;
  }

  /** A served model, acquired: the caller must {@link ServedModel#release()} it. */
  public Optional<ServedModel> acquire(String name) {
    while (true) {
      ServedModel m = models.get(name);
      if (m == null) {
        return Optional.empty();
      }
      if (m.acquire()) {
        return Optional.of(m);
      }
      // retired between get and acquire: the map already holds its successor
    }
  }

  public Collection<String> names() {
    return List.copyOf(models.keySet());
  }

  /** Snapshot of the served versions, not acquired (metadata only). */
  public List<ServedModel> snapshot() {
    return new ArrayList<>(models.values());
  }

  public Optional<ServedModel> peek(String name) {
    return Optional.ofNullable(models.get(name));
  }

  /**
   * Loads {@code source}, warms it up and serves it under its name (or {@code name} when given),
   * replacing the version served before. Blocking: call it off the event loop.
   */
  public ServedModel load(String source, String name) throws ModelLoadException {
    String lockKey = name == null ? source : name;
    synchronized (loadLocks.computeIfAbsent(lockKey, k -> new Object())) {
      long t0 = System.nanoTime();
      ServedModel fresh;
      try {
        fresh = loader.load(source, name);
      } catch (ModelLoadException | RuntimeException e) {
        String n = name == null ? source : name;
        metrics.modelLoadFailed(n);
        LOG.error("loading model {} from {} failed: {}", n, source, e.getMessage());
        throw e instanceof ModelLoadException mle
            ? mle
            : new ModelLoadException("cannot load " + source + ": " + e.getMessage(), e);
      }
      try {
        fresh.warmUp();
      } catch (RuntimeException e) {
        fresh.close();
        metrics.modelLoadFailed(fresh.name());
        LOG.error(
            "warm-up of model {} version {} from {} failed, keeping the version served before: {}",
            fresh.name(),
            fresh.version(),
            source,
            e.toString());
        throw new ModelLoadException(
            "warm-up of "
                + fresh.name()
                + " version "
                + fresh.version()
                + " failed: "
                + e.getMessage(),
            e);
      }
      metrics.modelLoaded(fresh.name(), System.nanoTime() - t0);
      ServedModel old = models.put(fresh.name(), fresh);
      metrics.serving(fresh.name(), fresh.version(), fresh.task());
      if (old != null) {
        LOG.info(
            "model {}: version {} replaces version {} ({} requests in flight on the old one)",
            fresh.name(),
            fresh.version(),
            old.version(),
            old.inFlight());
        old.retire();
      } else {
        LOG.info(
            "model {} version {} ({}) loaded from {}",
            fresh.name(),
            fresh.version(),
            fresh.task(),
            source);
      }
      return fresh;
    }
  }

  /** Retires every model; each closes once its in-flight requests are done. */
  public void closeAll() {
    for (ServedModel m : models.values()) {
      m.retire();
    }
    models.clear();
  }
}
