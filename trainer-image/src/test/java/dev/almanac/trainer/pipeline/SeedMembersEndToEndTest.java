package dev.almanac.trainer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.almanac.ml.bundle.Forecast;
import dev.almanac.ml.bundle.MemberEntry;
import dev.almanac.ml.bundle.ModelBundle;
import dev.almanac.ml.bundle.SeriesEntry;
import dev.almanac.ml.forecast.ProphetModel;
import dev.almanac.trainer.TrainerCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's time-series members (LSTM, Prophet) selected in a spec: scored on the holdout like
 * every member, weighted into the ensemble, the LSTM inside the ONNX graph (parity checked),
 * Prophet stored as parameters, and the bundle served through the same loader the model server
 * uses.
 */
class SeedMembersEndToEndTest {
  @TempDir Path tmp;

  static final String SPEC =
      """
      apiVersion: almanac.dev/v1alpha1
      kind: ForecastPipeline
      metadata: {name: covid-seed-members}
      spec:
        task: forecast
        data:
          source: {path: owid-covid/owid-covid-slim.csv.gz}
          seriesColumn: iso_code
          series: [USA, DEU]
          target: new_cases
        models: [{type: LSTM}, {type: Prophet, params: {events: "xmas=2020-12-25,xmas=2021-12-25"}}, {type: SeasonalNaive}]
        ensemble: {method: Mean}
        horizon: 28
        validation: {holdoutDays: 60, metric: MASE, threshold: "50"}
        mlflow: {trackingUri: "http://mlflow:5000", registeredModel: covid-seed-members}
      """;

  // Mean keeps every member in the bundle: InverseError's backtest selection may drop one, and this
  // test is about exporting and serving both.
  @Test
  void lstmAndProphetAreScoredExportedAndServed() throws Exception {
    Path spec = tmp.resolve("pipeline.yaml");
    Files.writeString(spec, SPEC);
    Path out = tmp.resolve("bundle");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    int code =
        TrainerCli.run(
            new String[] {
              "--spec",
              spec.toString(),
              "--output",
              out.toString(),
              "--no-mlflow",
              "--data",
              Paths.owidSlim().toString(),
              "--seed",
              "42",
              "--run-id",
              "seed-1"
            },
            new PrintStream(log, true, StandardCharsets.UTF_8),
            null);
    String text = log.toString(StandardCharsets.UTF_8);
    assertThat(code).as(text).isZero();
    assertThat(text).containsPattern("LSTM +mean MASE").containsPattern("Prophet +mean MASE");

    ObjectMapper json = new ObjectMapper();
    assertThat(
            json.readTree(out.resolve("result.json").toFile()).path("parityMaxRelDiff").asDouble())
        .isLessThan(1e-4);
    JsonNode metrics = json.readTree(out.resolve("metrics.json").toFile());
    for (String c : new String[] {"USA", "DEU"}) {
      for (String m : new String[] {"LSTM", "Prophet", "ensemble"}) {
        assertThat(metrics.path("perSeries").path(c).path(m).path("mase").asDouble())
            .as(c + " " + m)
            .isFinite()
            .isPositive();
      }
    }
    assertThat(Files.readString(out.resolve("holdout_predictions.csv")))
        .contains("USA,2021-02-24,LSTM,")
        .contains("DEU,2021-02-24,Prophet,");

    try (ModelBundle b = ModelBundle.load(out)) {
      for (String c : b.series()) {
        SeriesEntry e = b.metadata().forecast().series().get(c);
        MemberEntry lstm = e.members().get(0);
        MemberEntry prophet = e.members().get(1);
        assertThat(lstm.type()).isEqualTo("LSTM");
        assertThat(lstm.inOnnx()).isTrue();
        assertThat(lstm.weight()).isPositive();
        assertThat(prophet.type()).isEqualTo("Prophet");
        assertThat(prophet.inOnnx()).isFalse();
        assertThat(prophet.prophet().events())
            .singleElement()
            .satisfies(ev -> assertThat(ev.name()).isEqualTo("xmas"));
        // the stored model is the trainer's fit on the stored (cleaned) history: refitting it gives
        // the same path
        ProphetModel refit =
            ProphetModel.fit(
                e.history(),
                e.firstDate(),
                ProphetModel.Options.parse(
                    java.util.Map.of("events", "xmas=2020-12-25,xmas=2021-12-25")));
        assertThat(prophet.prophet().forecast(e.lastDate(), 28))
            .containsExactly(refit.forecast(e.lastDate(), 28));
        Forecast f = b.forecast(c, 28);
        assertThat(f.dates().get(0)).isEqualTo(LocalDate.of(2021, 4, 25));
        for (double v : f.values()) {
          assertThat(v).isFinite().isGreaterThanOrEqualTo(0);
        }
      }
    }
  }
}
