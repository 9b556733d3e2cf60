package dev.almanac.testbed;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server started at most once per JVM and kept in the root extension store, which closes it when
 * the test plan ends. A failed start is remembered so that later test classes fail fast with the
 * same message instead of paying the startup again.
 */
final class StartedOnce<T extends AutoCloseable> implements AutoCloseable {
  private final T server;
  private final RuntimeException failure;

  private StartedOnce(T server, RuntimeException failure) {
    this.server = server;
    this.failure = failure;
  }

  static <T extends AutoCloseable> StartedOnce<T> attempt(Supplier<T> start) {
    try {
      return new StartedOnce<>(start.get(), null);
    } catch (RuntimeException e) {
      return new StartedOnce<>(null, e);
    }
  }

  /**
   * The server {@code start} gives, started once per JVM under {@code owner}'s namespace and {@code
   * key} in the root store.
   */
  @SuppressWarnings("unchecked")
  static <T extends AutoCloseable> T shared(
      ExtensionContext context, Class<?> owner, String key, Supplier<T> start) {
    var store = context.getRoot().getStore(ExtensionContext.Namespace.create(owner));
    StartedOnce<T> slot =
        store.computeIfAbsent(key, k -> StartedOnce.attempt(start), StartedOnce.class);
    return slot.get();
  }

  T get() {
    if (failure != null) {
      throw new IllegalStateException(
          "test-bed server failed to start: " + failure.getMessage(), failure);
    }
    return server;
  }

  @Override
  public void close() throws Exception {
    if (server != null) {
      server.close();
    }
  }
}
