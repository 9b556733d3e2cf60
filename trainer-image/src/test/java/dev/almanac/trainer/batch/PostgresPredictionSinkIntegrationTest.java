package dev.almanac.trainer.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.almanac.testbed.PostgresTestBed;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The PostgreSQL sink against a real server: migrations, idempotent upsert, all-or-nothing batches,
 * clear failures.
 */
@Tag("integration")
@ExtendWith(PostgresTestBed.class)
class PostgresPredictionSinkIntegrationTest {
  private static final Instant GENERATED = Instant.parse("2021-02-01T06:00:00Z");

  private static String freshTable() {
    return "predictions_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  private static PostgresTarget target(PostgresTestBed.Endpoints pg, String table) {
    return new PostgresTarget(pg.jdbcUrl(), table, pg.user(), pg.password());
  }

  /** {@code series} x {@code days} rows of one version; value = base + step. */
  static List<PredictionRow> batch(String version, int series, int days, double base) {
    var rows = new ArrayList<PredictionRow>();
    for (int s = 0; s < series; s++) {
      for (int d = 1; d <= days; d++) {
        rows.add(
            new PredictionRow(
                "covid",
                "covid-cases",
                version,
                "S" + s,
                LocalDate.of(2021, 2, 1).plusDays(d),
                d,
                base + d,
                GENERATED));
      }
    }
    return rows;
  }

  private static Connection connect(PostgresTestBed.Endpoints pg) throws Exception {
    return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
  }

  /** The table as a sorted map key -> value, for before/after comparisons. */
  private static TreeMap<String, Double> contents(PostgresTestBed.Endpoints pg, String table)
      throws Exception {
    var rows = new TreeMap<String, Double>();
    try (var c = connect(pg);
        var r =
            c.createStatement()
                .executeQuery(
                    "SELECT pipeline, model_version, series, target_date, horizon_step, value FROM "
                        + table)) {
      while (r.next()) {
        rows.put(
            r.getString(1)
                + "|"
                + r.getString(2)
                + "|"
                + r.getString(3)
                + "|"
                + r.getDate(4)
                + "|"
                + r.getInt(5),
            r.getDouble(6));
      }
    }
    return rows;
  }

  private static List<Integer> migrations(PostgresTestBed.Endpoints pg, String table)
      throws Exception {
    var versions = new ArrayList<Integer>();
    try (var c = connect(pg);
        var q =
            c.prepareStatement(
                "SELECT version FROM almanac_schema_migrations WHERE target = ? ORDER BY version")) {
      q.setString(1, table);
      try (var r = q.executeQuery()) {
        while (r.next()) {
          versions.add(r.getInt(1));
        }
      }
    }
    return versions;
  }

  @Test
  void theFirstWriteCreatesTheTableAndWritingAgainReplacesInsteadOfAdding(
      PostgresTestBed.Endpoints pg) throws Exception {
    var table = freshTable();
    var sink = new PostgresPredictionSink(target(pg, table));

    var first = sink.write(batch("7", 10, 28, 100));
    assertThat(first.rows()).isEqualTo(280);
    assertThat(first.migrationsApplied()).isEqualTo(PostgresPredictionSink.MIGRATIONS.size());
    assertThat(migrations(pg, table)).containsExactly(1, 2);
    assertThat(contents(pg, table)).hasSize(280).containsEntry("covid|7|S3|2021-02-02|1", 101.0);

    var again = sink.write(batch("7", 10, 28, 500));
    assertThat(again.migrationsApplied()).isZero();
    var after = contents(pg, table);
    assertThat(after).hasSize(280).containsEntry("covid|7|S3|2021-02-02|1", 501.0);

    sink.write(batch("8", 10, 28, 900));
    assertThat(contents(pg, table))
        .hasSize(560)
        .containsEntry("covid|7|S3|2021-02-02|1", 501.0)
        .containsEntry("covid|8|S3|2021-02-02|1", 901.0);
    try (var c = connect(pg);
        var r =
            c.createStatement()
                .executeQuery(
                    "SELECT indexname FROM pg_indexes WHERE tablename = '"
                        + table
                        + "' ORDER BY indexname")) {
      var names = new ArrayList<String>();
      while (r.next()) {
        names.add(r.getString(1));
      }
      assertThat(names).containsExactly(table + "_by_target_date", table + "_pkey");
    }
  }

  @Test
  void aFailureInTheMiddleOfABatchLeavesTheTableAsItWas(PostgresTestBed.Endpoints pg)
      throws Exception {
    var table = freshTable();
    var sink = new PostgresPredictionSink(target(pg, table));
    sink.write(batch("7", 10, 28, 100));
    var before = contents(pg, table);
    // a real failure inside the server after part of the batch went in: a trigger refusing one
    // series
    try (var c = connect(pg);
        var s = c.createStatement()) {
      s.execute(
          "CREATE FUNCTION "
              + table
              + "_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
              + "IF NEW.series = 'BROKEN' THEN RAISE EXCEPTION 'series BROKEN refused by a test trigger'; END IF; RETURN NEW; END $$");
      s.execute(
          "CREATE TRIGGER refuse BEFORE INSERT ON "
              + table
              + " FOR EACH ROW EXECUTE FUNCTION "
              + table
              + "_refuse()");
    }
    var rows = new ArrayList<>(batch("7", 10, 28, 500)); // updates every existing row ...
    rows.addAll(batch("8", 3, 28, 900)); // ... adds new ones ...
    rows.add(
        rows.size() - 5,
        new PredictionRow(
            "covid",
            "covid-cases",
            "8",
            "BROKEN",
            LocalDate.of(2021, 3, 1),
            1,
            1,
            GENERATED)); // ... and fails near the end

    assertThatThrownBy(() -> sink.write(rows))
        .isInstanceOf(PredictionSinkException.class)
        .hasMessageContaining("PostgreSQL at " + pg.jdbcUrl())
        .hasMessageContaining(
            "write "
                + rows.size()
                + " predictions to table "
                + table
                + " (rolled back, nothing written)")
        .hasMessageContaining("series BROKEN refused by a test trigger");
    assertThat(contents(pg, table)).isEqualTo(before);
  }

  @Test
  void aDatabaseThatIsDownIsNamedInTheFailure() throws Exception {
    int port;
    try (var s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    var url = "jdbc:postgresql://127.0.0.1:" + port + "/forecasts";
    var sink =
        new PostgresPredictionSink(
            new PostgresTarget(url + "?sslmode=disable", "almanac_predictions", "u", "secret-pw"));
    assertThatThrownBy(() -> sink.write(batch("1", 1, 1, 0)))
        .isInstanceOf(PredictionSinkException.class)
        .hasMessageStartingWith("PostgreSQL at " + url + " is unreachable: ")
        .hasMessageNotContaining("secret-pw")
        .hasMessageNotContaining("sslmode");
  }

  @Test
  void badCredentialsAreRejectedWithAClearMessageAndNothingWritten(PostgresTestBed.Endpoints pg)
      throws Exception {
    var table = freshTable();
    var sink =
        new PostgresPredictionSink(
            new PostgresTarget(pg.jdbcUrl(), table, pg.user(), "wrong-password"));
    assertThatThrownBy(() -> sink.write(batch("1", 2, 3, 0)))
        .isInstanceOf(PredictionSinkException.class)
        .hasMessageContaining(
            "PostgreSQL at "
                + pg.jdbcUrl()
                + " rejected the credentials of user '"
                + pg.user()
                + "'")
        .hasMessageContaining("password authentication failed")
        .hasMessageNotContaining("wrong-password");
    try (var c = connect(pg);
        var r = c.createStatement().executeQuery("SELECT to_regclass('" + table + "') IS NULL")) {
      r.next();
      assertThat(r.getBoolean(1)).as("table never created").isTrue();
    }
  }

  @Test
  void batchJobsStartingTogetherMigrateOnce(PostgresTestBed.Endpoints pg) throws Exception {
    var table = freshTable();
    var pool = Executors.newFixedThreadPool(4);
    try {
      var tasks = new ArrayList<Callable<PostgresPredictionSink.WriteSummary>>();
      for (int i = 0; i < 4; i++) {
        var version = Integer.toString(i);
        tasks.add(
            () -> new PostgresPredictionSink(target(pg, table)).write(batch(version, 2, 7, 0)));
      }
      var applied = 0;
      for (var f : pool.invokeAll(tasks)) {
        applied += f.get().migrationsApplied();
      }
      assertThat(applied).isEqualTo(PostgresPredictionSink.MIGRATIONS.size());
    } finally {
      pool.shutdownNow();
    }
    assertThat(migrations(pg, table)).containsExactly(1, 2);
    assertThat(contents(pg, table)).hasSize(4 * 2 * 7);
  }

  /**
   * Benchmark (figures in benchmarks/RESULTS.md, target < 200 ms): the upsert transaction of one
   * batch of 10 series x 28 days, 30 times after a warm-up, as the batch Job does it (connection
   * and migration check outside the timed part). Written to target/postgres-sink-benchmark.txt.
   */
  @Test
  void upsertOfOneBatchOfTenSeriesBy28Days(PostgresTestBed.Endpoints pg) throws Exception {
    var table = freshTable();
    var sink = new PostgresPredictionSink(target(pg, table));
    sink.write(batch("1", 10, 28, 0));
    long[] millisTimes = new long[30];
    long[] wholeWrite = new long[30];
    for (int i = 0; i < millisTimes.length; i++) {
      long t0 = System.nanoTime();
      var summary = sink.write(batch("1", 10, 28, i));
      wholeWrite[i] = (System.nanoTime() - t0) / 1_000_000;
      millisTimes[i] = summary.upsertMillis();
      assertThat(summary.rows()).isEqualTo(280);
    }
    assertThat(contents(pg, table)).hasSize(280).containsEntry("covid|1|S0|2021-02-02|1", 30.0);
    Arrays.sort(millisTimes);
    Arrays.sort(wholeWrite);
    var report =
        String.format(
            Locale.ROOT,
            "postgres upsert 10x28 rows: upsert transaction median %d ms, p90 %d ms, max %d ms; "
                + "whole write (connect + migration check + upsert) median %d ms, max %d ms (n=%d)%n",
            millisTimes[15],
            millisTimes[27],
            millisTimes[29],
            wholeWrite[15],
            wholeWrite[29],
            millisTimes.length);
    System.out.print(report);
    Files.writeString(Path.of("target", "postgres-sink-benchmark.txt"), report);
  }
}
