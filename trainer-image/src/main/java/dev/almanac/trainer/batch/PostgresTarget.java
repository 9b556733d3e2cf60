package dev.almanac.trainer.batch;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where batch predictions go in PostgreSQL: a JDBC URL, a table (optionally schema-qualified) and
 * the credentials, which come only from the environment ({@code ALMANAC_POSTGRES_USER}, {@code
 * ALMANAC_POSTGRES_PASSWORD}: the Secret's {@code username} and {@code password} keys in a pod).
 * {@code toString()} never shows the password.
 */
public record PostgresTarget(String jdbcUrl, String table, String user, String password) {
  public static final String USER_ENV = "ALMANAC_POSTGRES_USER";
  public static final String PASSWORD_ENV = "ALMANAC_POSTGRES_PASSWORD";
  public static final String DEFAULT_TABLE = "almanac_predictions";

  /**
   * Lower-case SQL identifiers, so the name needs no quoting and means the same in every statement.
   */
  static final Pattern TABLE =
      Pattern.compile("^([a-z_][a-z0-9_]{0,62}\\.)?[a-z_][a-z0-9_]{0,62}$");

  public PostgresTarget {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(table, "table");
    if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
      throw new IllegalArgumentException(
          "the PostgreSQL URL must start with jdbc:postgresql://, got '" + shown(jdbcUrl) + "'");
    }
    if (!TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException(
          "table '"
              + table
              + "' must be a lower-case identifier ([a-z_][a-z0-9_]*), "
              + "optionally schema-qualified (schema.table)");
    }
  }

  /**
   * {@code jdbcUrl} and {@code table} with the credentials from {@code env} (both or neither may be
   * unset).
   */
  public static PostgresTarget of(String jdbcUrl, String table, Map<String, String> env) {
    return new PostgresTarget(
        jdbcUrl,
        table == null || table.isBlank() ? DEFAULT_TABLE : table,
        value(env, USER_ENV).orElse(null),
        value(env, PASSWORD_ENV).orElse(null));
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).filter(s -> !s.isBlank());
  }

  /** The table name without its schema (for index names). */
  String bareTable() {
    return table.substring(table.indexOf('.') + 1);
  }

  /** The URL without its query (a password may be passed there). */
  public String shownUrl() {
    return shown(jdbcUrl);
  }

  private static String shown(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  @Override
  public String toString() {
    return "PostgresTarget[" + shownUrl() + ", table " + table + ", user " + user + "]";
  }
}
