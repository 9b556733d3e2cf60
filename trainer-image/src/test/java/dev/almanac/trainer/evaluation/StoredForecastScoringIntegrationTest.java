package dev.almanac.trainer.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.ml.bundle.ModelBundle;
import dev.almanac.testbed.PostgresTestBed;
import dev.almanac.testbed.Tools;
import dev.almanac.trainer.TrainerCli;
import dev.almanac.trainer.batch.PostgresPredictionSink;
import dev.almanac.trainer.batch.PostgresTarget;
import dev.almanac.trainer.batch.PredictionRow;
import dev.almanac.trainer.pipeline.ForecastSettings;
import dev.almanac.trainer.pipeline.SpecLoader;
import dev.almanac.trainer.pipeline.StageLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time moved forward: version 1 is trained with data up to 2021-02-01 and its 14-day forecasts are
 * stored in PostgreSQL; a run with the cutoff 14 days later scores them against the actuals that
 * have "arrived" since (realized MASE/MAE per version and series), a run 7 days later only the
 * first week.
 */
@Tag("integration")
@ExtendWith(PostgresTestBed.class)
class StoredForecastScoringIntegrationTest {
  @TempDir Path tmp;

  private String spec(PostgresTestBed.Endpoints pg, String table, String asOf) {
    return """
        apiVersion: almanac.dev/v1alpha1
        kind: ForecastPipeline
        metadata: {name: covid-realized}
        spec:
          task: forecast
          data:
            source: {path: owid-covid/owid-covid-slim.csv.gz}
            seriesColumn: iso_code
            series: [DEU, JPN]
            target: new_cases
            asOf: "%s"
          models: [{type: Linear}, {type: SeasonalNaive}]
          horizon: 14
          validation: {holdoutDays: 30}
          batchPrediction:
            enabled: true
            output:
              postgres: {jdbcUrl: "%s", table: %s, credentialsSecretRef: {name: db}}
        """
        .formatted(asOf, pg.jdbcUrl(), table);
  }

  private Path write(String name, String text) throws Exception {
    var file = tmp.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void storedForecastsAreScoredOnceTheirDaysHaveActuals(PostgresTestBed.Endpoints pg)
      throws Exception {
    var table = "realized_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    var log = new ByteArrayOutputStream();
    var out = tmp.resolve("v1");
    var v1 = write("v1.yaml", spec(pg, table, "2021-02-01"));
    assertThat(
            TrainerCli.run(
                new String[] {
                  "--spec",
                  v1.toString(),
                  "--output",
                  out.toString(),
                  "--no-mlflow",
                  "--data",
                  Tools.dataDir().resolve("owid-covid/owid-covid-slim.csv.gz").toString(),
                  "--threads",
                  "1"
                },
                new PrintStream(log, true, StandardCharsets.UTF_8),
                null))
        .as(log.toString(StandardCharsets.UTF_8))
        .isZero();
    var target = new PostgresTarget(pg.jdbcUrl(), table, pg.user(), pg.password());
    try (var bundle = ModelBundle.load(out)) {
      var rows = new ArrayList<PredictionRow>();
      for (var series : bundle.series()) {
        var f = bundle.forecast(series, 14);
        for (int i = 0; i < 14; i++) {
          rows.add(
              new PredictionRow(
                  "covid-realized",
                  "covid-realized",
                  "1",
                  series,
                  f.dates().get(i),
                  i + 1,
                  f.values()[i],
                  Instant.now()));
        }
      }
      new PostgresPredictionSink(target).write(rows);
    }
    var env =
        Map.of(PostgresTarget.USER_ENV, pg.user(), PostgresTarget.PASSWORD_ENV, pg.password());
    var data = Tools.dataDir().resolve("owid-covid/owid-covid-slim.csv.gz");

    var twoWeeksLater = SpecLoader.load(write("later.yaml", spec(pg, table, "2021-02-15")));
    var stage = new ByteArrayOutputStream();
    var nextBundle = java.nio.file.Files.createDirectories(tmp.resolve("v2-bundle"));
    var metrics =
        StoredForecastScoring.run(
            twoWeeksLater,
            ForecastSettings.from(twoWeeksLater, data),
            env,
            new StageLog(new PrintStream(stage, true, StandardCharsets.UTF_8)),
            nextBundle);
    assertThat(metrics)
        .containsKeys(
            "realized_mase.v1",
            "realized_mase.v1.DEU",
            "realized_mase.v1.JPN",
            "realized_mae.v1.DEU");
    assertThat(metrics.values()).allSatisfy(v -> assertThat(v).isFinite().isPositive());
    assertThat(stage.toString(StandardCharsets.UTF_8))
        .contains("[realized] version 1 DEU: 14 days 2021-02-02..2021-02-15");
    // the new version's bundle carries the scored days for its dashboard: forecast vs actual
    var points = dev.almanac.ml.bundle.RealizedForecasts.read(nextBundle).orElseThrow().of("DEU");
    assertThat(points).hasSize(14);
    assertThat(points.get(0).version()).isEqualTo("1");
    assertThat(points.get(0).date()).isEqualTo(java.time.LocalDate.parse("2021-02-02"));
    assertThat(points.get(13).date()).isEqualTo(java.time.LocalDate.parse("2021-02-15"));
    assertThat(points).allSatisfy(p -> assertThat(p.actual()).isFinite().isNotNegative());

    var oneWeekLater = SpecLoader.load(write("week.yaml", spec(pg, table, "2021-02-08")));
    stage.reset();
    StoredForecastScoring.run(
        oneWeekLater,
        ForecastSettings.from(oneWeekLater, data),
        env,
        new StageLog(new PrintStream(stage, true, StandardCharsets.UTF_8)));
    assertThat(stage.toString(StandardCharsets.UTF_8))
        .contains("[realized] version 1 JPN: 7 days 2021-02-02..2021-02-08");

    // the same cutoff as the version: nothing has arrived yet
    var same = SpecLoader.load(write("same.yaml", spec(pg, table, "2021-02-01")));
    stage.reset();
    assertThat(
            StoredForecastScoring.run(
                same,
                ForecastSettings.from(same, data),
                env,
                new StageLog(new PrintStream(stage, true, StandardCharsets.UTF_8))))
        .isEmpty();
    assertThat(stage.toString(StandardCharsets.UTF_8))
        .contains("none of them on a day with an actual yet");

    // an unreadable database skips the step with its reason, it does not fail the run
    stage.reset();
    assertThat(
            StoredForecastScoring.run(
                twoWeeksLater,
                ForecastSettings.from(twoWeeksLater, data),
                Map.of(PostgresTarget.USER_ENV, pg.user(), PostgresTarget.PASSWORD_ENV, "wrong"),
                new StageLog(new PrintStream(stage, true, StandardCharsets.UTF_8))))
        .isEmpty();
    assertThat(stage.toString(StandardCharsets.UTF_8))
        .contains("[realized] skipped, stored forecasts not scored: PostgreSQL at")
        .contains("rejected the credentials");
  }
}
