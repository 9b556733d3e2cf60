package dev.almanac.testbed;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one real PostgreSQL server per test JVM ({@link PostgresServer}), started on
 * first use and stopped when the test plan ends (or the JVM exits). The database is shared by every
 * test in the JVM: use unique table names.
 *
 * <pre>{@code
 * @Tag("integration")
 * @ExtendWith(PostgresTestBed.class)
 * class SinkIT {
 *   @Test void writes(PostgresTestBed.Endpoints pg) {
 *     try (var c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) { ... }
 *   }
 * }
 * }</pre>
 */
public final class PostgresTestBed implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PostgresTestBed.class);

  /** How to reach the shared server; the password is a per-run random value. */
  public record Endpoints(String jdbcUrl, String user, String password, int port) {
    @Override
    public String toString() {
      return "PostgreSQL " + jdbcUrl + " as " + user;
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    endpoints(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Endpoints.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return endpoints(context);
  }

  @SuppressWarnings("unchecked")
  public static Endpoints endpoints(ExtensionContext context) {
    var store = context.getRoot().getStore(NAMESPACE);
    StartedOnce<PostgresServer> slot =
        store.computeIfAbsent(
            "postgres-server",
            key -> StartedOnce.attempt(PostgresServer::start),
            StartedOnce.class);
    var server = slot.get();
    return new Endpoints(server.jdbcUrl(), server.user(), server.password(), server.port());
  }
}
