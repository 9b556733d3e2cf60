package dev.almanac.testbed;

import org.junit.jupiter.api.extension.ExtensionContext;

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
public final class PostgresTestBed extends SharedServerExtension {

  /** How to reach the shared server; the password is a per-run random value. */
  public record Endpoints(String jdbcUrl, String user, String password, int port) {
    @Override
    public String toString() {
      return "PostgreSQL " + jdbcUrl + " as " + user;
    }
  }

  public PostgresTestBed() {
    super(Endpoints.class);
  }

  @Override
  Object endpoints(Class<?> type, ExtensionContext context) {
    return endpoints(context);
  }

  public static Endpoints endpoints(ExtensionContext context) {
    var server =
        StartedOnce.shared(
            context, PostgresTestBed.class, "postgres-server", PostgresServer::start);
    return new Endpoints(server.jdbcUrl(), server.user(), server.password(), server.port());
  }
}
