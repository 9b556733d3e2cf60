package dev.almanac.trainer.batch;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;

/**
 * Stores batch predictions in a PostgreSQL table with the PostgreSQL JDBC driver.
 *
 * <ul>
 *   <li><b>Schema:</b> the sink creates and migrates its table itself. Each change is a numbered
 *       {@link Migration} (never edited once released); the versions applied per table are recorded
 *       in {@code almanac_schema_migrations}, and a migration runs under a transaction-scoped
 *       advisory lock, so two batch Jobs starting together migrate once. A hand-kept list rather
 *       than Flyway: one table and a few statements do not justify a library that needs a separate
 *       database module and its own history table per schema.
 *   <li><b>Idempotent:</b> rows are upserted on (pipeline, model_version, series, target_date,
 *       horizon_step); writing the same batch twice leaves one row per key with the newest value.
 *   <li><b>All or nothing:</b> one batch is one transaction; any failure rolls it back, so readers
 *       see the previous rows or the whole new batch, never part of it.
 * </ul>
 */
public final class PostgresPredictionSink {
  static final String MIGRATIONS_TABLE = "almanac_schema_migrations";

  /** One schema change; {@code %1$s} is the table, {@code %2$s} the table without its schema. */
  record Migration(int version, String description, List<String> statements) {}

  /** In order; append, never edit. */
  static final List<Migration> MIGRATIONS =
      List.of(
          new Migration(
              1,
              "predictions table",
              List.of(
                  """
          CREATE TABLE %1$s (
            pipeline      text             NOT NULL,
            model         text             NOT NULL,
            model_version text             NOT NULL,
            series        text             NOT NULL,
            target_date   date             NOT NULL,
            horizon_step  integer          NOT NULL CHECK (horizon_step >= 1),
            value         double precision NOT NULL,
            generated_at  timestamptz      NOT NULL,
            PRIMARY KEY (pipeline, model_version, series, target_date, horizon_step))""")),
          new Migration(
              2,
              "lookup of stored forecasts by series and date (realized accuracy)",
              List.of("CREATE INDEX %2$s_by_target_date ON %1$s (pipeline, series, target_date)")));

  private static final String UPSERT =
      """
      INSERT INTO %s (pipeline, model, model_version, series, target_date, horizon_step, value, generated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (pipeline, model_version, series, target_date, horizon_step)
      DO UPDATE SET model = EXCLUDED.model, value = EXCLUDED.value, generated_at = EXCLUDED.generated_at""";

  /**
   * What one write did: rows upserted, migrations applied first, and the time of the upsert
   * transaction.
   */
  public record WriteSummary(int rows, int migrationsApplied, long upsertMillis) {}

  private final PostgresTarget target;

  public PostgresPredictionSink(PostgresTarget target) {
    this.target = target;
  }

  /** Migrates the table if needed, then upserts {@code rows} in one transaction. */
  public WriteSummary write(List<PredictionRow> rows) {
    try (Connection c = connect()) {
      int applied = migrate(c);
      long t0 = System.nanoTime();
      upsert(c, rows);
      return new WriteSummary(rows.size(), applied, (System.nanoTime() - t0) / 1_000_000);
    } catch (SQLException e) {
      throw failure("connect", e);
    }
  }

  /**
   * Every stored forecast of {@code pipeline} for a day on or before {@code until} (the days that
   * can have actuals); empty when the table does not exist yet.
   */
  public List<PredictionRow> stored(String pipeline, java.time.LocalDate until) {
    try (Connection c = connect()) {
      try (var exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
        exists.setString(1, target.table());
        try (var r = exists.executeQuery()) {
          r.next();
          if (!r.getBoolean(1)) {
            return List.of();
          }
        }
      }
      var rows = new java.util.ArrayList<PredictionRow>();
      try (var q =
          c.prepareStatement(
              "SELECT pipeline, model, model_version, series, target_date, horizon_step, value, generated_at FROM "
                  + target.table()
                  + " WHERE pipeline = ? AND target_date <= ? ORDER BY model_version, series, target_date, horizon_step")) {
        q.setString(1, pipeline);
        q.setObject(2, until);
        try (var r = q.executeQuery()) {
          while (r.next()) {
            rows.add(
                new PredictionRow(
                    r.getString(1),
                    r.getString(2),
                    r.getString(3),
                    r.getString(4),
                    r.getObject(5, java.time.LocalDate.class),
                    r.getInt(6),
                    r.getDouble(7),
                    r.getObject(8, OffsetDateTime.class).toInstant()));
          }
        }
      }
      return rows;
    } catch (SQLException e) {
      throw failure(
          "read the stored forecasts of " + pipeline + " from table " + target.table(), e);
    }
  }

  /** Applies the migrations the table does not have yet; returns how many. */
  int migrate(Connection c) {
    try {
      c.setAutoCommit(false);
      try (var s = c.createStatement()) {
        // serialises concurrent migrations of the same table (released at commit or rollback)
        s.execute(
            "SELECT pg_advisory_xact_lock(hashtext('almanac.migrate." + target.table() + "'))");
        s.execute(
            "CREATE TABLE IF NOT EXISTS "
                + MIGRATIONS_TABLE
                + " (target text NOT NULL, version integer NOT NULL, "
                + "description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (target, version))");
      }
      int current = 0;
      try (var q =
          c.prepareStatement(
              "SELECT coalesce(max(version), 0) FROM " + MIGRATIONS_TABLE + " WHERE target = ?")) {
        q.setString(1, target.table());
        try (var r = q.executeQuery()) {
          r.next();
          current = r.getInt(1);
        }
      }
      int applied = 0;
      for (var m : MIGRATIONS) {
        if (m.version() <= current) {
          continue;
        }
        try (var s = c.createStatement()) {
          for (var sql : m.statements()) {
            s.execute(sql.formatted(target.table(), target.bareTable()));
          }
        }
        try (var record =
            c.prepareStatement(
                "INSERT INTO "
                    + MIGRATIONS_TABLE
                    + " (target, version, description) VALUES (?, ?, ?)")) {
          record.setString(1, target.table());
          record.setInt(2, m.version());
          record.setString(3, m.description());
          record.executeUpdate();
        }
        applied++;
      }
      c.commit();
      return applied;
    } catch (SQLException e) {
      rollback(c);
      throw failure("migrate table " + target.table(), e);
    }
  }

  private void upsert(Connection c, List<PredictionRow> rows) {
    try {
      c.setAutoCommit(false);
      try (var ps = c.prepareStatement(UPSERT.formatted(target.table()))) {
        for (var row : rows) {
          ps.setString(1, row.pipeline());
          ps.setString(2, row.model());
          ps.setString(3, row.modelVersion());
          ps.setString(4, row.series());
          ps.setObject(5, row.targetDate());
          ps.setInt(6, row.horizonStep());
          ps.setDouble(7, row.value());
          ps.setObject(8, OffsetDateTime.ofInstant(row.generatedAt(), ZoneOffset.UTC));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      c.commit();
    } catch (SQLException e) {
      rollback(c);
      throw failure(
          "write "
              + rows.size()
              + " predictions to table "
              + target.table()
              + " (rolled back, nothing written)",
          e);
    }
  }

  private Connection connect() throws SQLException {
    var props = new Properties();
    if (target.user() != null) {
      props.setProperty("user", target.user());
    }
    if (target.password() != null) {
      props.setProperty("password", target.password());
    }
    props.setProperty("ApplicationName", "almanac-batch-predict");
    props.setProperty("connectTimeout", "10");
    // one multi-row INSERT per few hundred rows instead of a round trip per row
    props.setProperty("reWriteBatchedInserts", "true");
    // the driver is called directly: a shaded jar may not carry its java.sql.Driver service entry
    var connection = new org.postgresql.Driver().connect(target.jdbcUrl(), props);
    if (connection == null) {
      throw new SQLException(
          "the PostgreSQL driver does not accept the URL " + target.shownUrl(), "08001");
    }
    return connection;
  }

  private static void rollback(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is gone: the server rolls the transaction back itself
    }
  }

  private PredictionSinkException failure(String action, SQLException e) {
    var cause =
        e instanceof BatchUpdateException && e.getNextException() != null
            ? e.getNextException()
            : e;
    var state = cause.getSQLState() == null ? "" : cause.getSQLState();
    var where = "PostgreSQL at " + target.shownUrl();
    String message;
    if (state.startsWith("08")) {
      message = where + " is unreachable: " + cause.getMessage();
    } else if (state.startsWith("28")) {
      message =
          where
              + " rejected the credentials of user '"
              + target.user()
              + "' (Secret keys username/password): "
              + cause.getMessage();
    } else if (state.equals("3D000")) {
      message = where + ": the database does not exist: " + cause.getMessage();
    } else {
      message =
          where
              + " failed to "
              + action
              + ": "
              + cause.getMessage()
              + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")");
    }
    return new PredictionSinkException(message, e);
  }
}
