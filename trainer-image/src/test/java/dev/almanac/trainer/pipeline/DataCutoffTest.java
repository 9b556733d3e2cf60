package dev.almanac.trainer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.almanac.ml.bundle.HoldoutPrediction;
import dev.almanac.ml.bundle.ModelBundle;
import dev.almanac.trainer.TrainerCli;
import dev.almanac.trainer.batch.AsOfForecasts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.data.asOf: training and its holdout evaluation see no row after the cutoff, and batch
 * forecasts of a version that saw later data start the day after the cutoff.
 */
class DataCutoffTest {
  @TempDir Path tmp;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  private static String spec(String asOf) {
    return """
        apiVersion: almanac.dev/v1alpha1
        kind: ForecastPipeline
        metadata: {name: cutoff}
        spec:
          task: forecast
          data:
            source: {path: owid-covid/owid-covid-slim.csv.gz}
            seriesColumn: iso_code
            series: [DEU, JPN]
            target: new_cases
            %s
          models: [{type: Linear}, {type: SeasonalNaive}]
          horizon: 14
          validation: {holdoutDays: 30}
        """
        .formatted(asOf == null ? "" : "asOf: \"" + asOf + "\"");
  }

  private int train(String asOf, Path out) throws Exception {
    Path file = tmp.resolve(out.getFileName() + ".yaml");
    Files.writeString(file, spec(asOf));
    return TrainerCli.run(
        new String[] {
          "--spec",
          file.toString(),
          "--output",
          out.toString(),
          "--no-mlflow",
          "--data",
          Paths.owidSlim().toString(),
          "--threads",
          "1"
        },
        new PrintStream(log, true, StandardCharsets.UTF_8),
        null);
  }

  private static LocalDate lastHistoryDay(ModelBundle bundle, String series) {
    var dates = bundle.history(series).dates();
    return dates.get(dates.size() - 1);
  }

  @Test
  void trainingAndItsHoldoutSeeNothingAfterTheCutoff() throws Exception {
    var asOf = LocalDate.parse("2021-02-01");
    Path cut = tmp.resolve("cut");
    assertThat(train(asOf.toString(), cut)).as(log.toString(StandardCharsets.UTF_8)).isZero();
    Path all = tmp.resolve("all");
    assertThat(train(null, all)).as(log.toString(StandardCharsets.UTF_8)).isZero();

    assertThat(log.toString(StandardCharsets.UTF_8))
        .containsPattern("data.asOf 2021-02-01: \\d+ later rows ignored");
    try (var cutBundle = ModelBundle.load(cut);
        var allBundle = ModelBundle.load(all)) {
      assertThat(lastHistoryDay(allBundle, "DEU"))
          .as("the data runs past the cutoff")
          .isAfter(asOf);
      for (var series : new String[] {"DEU", "JPN"}) {
        assertThat(lastHistoryDay(cutBundle, series)).isEqualTo(asOf);
      }
      var holdout = cutBundle.holdoutPredictions();
      assertThat(holdout).isNotEmpty();
      assertThat(holdout.stream().map(HoldoutPrediction::date).max(Comparator.naturalOrder()))
          .contains(asOf);
      assertThat(cutBundle.forecast("DEU", 3).dates())
          .containsExactly(asOf.plusDays(1), asOf.plusDays(2), asOf.plusDays(3));
      assertThat(cutBundle.metrics()).isNotEqualTo(allBundle.metrics());

      // batch prediction of the version that saw everything, under the cutoff: from the day after
      // it
      var forecast = AsOfForecasts.forecast(allBundle, "DEU", 3, asOf);
      assertThat(forecast.dates())
          .containsExactly(asOf.plusDays(1), asOf.plusDays(2), asOf.plusDays(3));
      assertThat(forecast.values()).isNotEqualTo(allBundle.forecast("DEU", 3).values());
      // a version trained on older data than the cutoff forecasts from its own last day
      var later = AsOfForecasts.forecast(cutBundle, "DEU", 3, asOf.plusDays(14));
      assertThat(later.dates().get(0)).isEqualTo(asOf.plusDays(1));
      assertThatThrownBy(
              () -> AsOfForecasts.forecast(allBundle, "DEU", 3, LocalDate.parse("2000-01-01")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("data.asOf 2000-01-01 is before the first day");
    }
    var json = new ObjectMapper();
    // the digest is the file's, so the snapshot of a cut run is the same object as of the full run
    assertThat(json.readTree(cut.resolve("result.json").toFile()).path("dataSha256").asText())
        .isEqualTo(DataSnapshot.sha256(Paths.owidSlim()));
  }

  @Test
  void aCutoffBeforeTheDataOrNotADateIsAClearError() throws Exception {
    Path early = tmp.resolve("early");
    assertThat(train("1999-12-31", early)).isEqualTo(ExitCode.DATA_ERROR.code());
    assertThat(
            new ObjectMapper()
                .readTree(early.resolve("result.json").toFile())
                .path("message")
                .asText())
        .isEqualTo("spec.data.asOf 1999-12-31 is before the first row of series [DEU, JPN]");
    Path bad = tmp.resolve("bad");
    assertThat(train("2021-02-30", bad)).isEqualTo(ExitCode.BAD_SPEC.code());
    assertThat(
            new ObjectMapper()
                .readTree(bad.resolve("result.json").toFile())
                .path("message")
                .asText())
        .isEqualTo("spec.data.asOf must be a date yyyy-MM-dd, got '2021-02-30'");
  }
}
