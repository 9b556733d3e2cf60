package dev.almanac.trainer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.almanac.ml.bundle.BundleForecaster;
import dev.almanac.ml.bundle.Forecast;
import dev.almanac.ml.bundle.MemberEntry;
import dev.almanac.ml.bundle.ModelBundle;
import dev.almanac.ml.bundle.SeriesEntry;
import dev.almanac.trainer.TrainerCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #20 item 3: an ensemble of statistical members only (no ML member) trains, exports and
 * forecasts. Its model.onnx predicts 0 (the empty ML sum) so the bundle layout and OIP signature
 * stay those of every forecast bundle; the forecasts are the weighted statistical paths.
 */
class StatisticalOnlyBundleTest {
  @TempDir Path tmp;

  @Test
  void seasonalNaivePlusEtsTrainsExportsAndForecasts() throws Exception {
    Path spec = tmp.resolve("pipeline.yaml");
    Files.writeString(
        spec,
        """
        apiVersion: almanac.dev/v1alpha1
        kind: ForecastPipeline
        metadata: {name: stat-only}
        spec:
          task: forecast
          data:
            source: {path: owid-covid/owid-covid-slim.csv.gz}
            seriesColumn: iso_code
            series: [USA, DEU]
            target: new_cases
          models: [{type: SeasonalNaive}, {type: ETS, params: {seasonal: multiplicative}}]
          ensemble: {method: InverseError}
          horizon: 28
          validation: {holdoutDays: 60, metric: MASE}
        """);
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
              "stat-1"
            },
            new PrintStream(log, true, StandardCharsets.UTF_8),
            null);
    assertThat(code).as(log.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(
            new ObjectMapper()
                .readTree(out.resolve("result.json").toFile())
                .path("parityMaxRelDiff")
                .asDouble())
        .isZero();

    try (ModelBundle b = ModelBundle.load(out)) {
      assertThat(b.series()).containsExactly("USA", "DEU");
      // The graph stands for the empty ML sum: 0 for any row.
      assertThat(
              b.onnx()
                  .predict(new float[][] {new float[b.inputs().get(0).shape().get(1).intValue()]}))
          .containsExactly(0.0);
      for (String c : b.series()) {
        SeriesEntry e = b.metadata().forecast().series().get(c);
        assertThat(e.members()).extracting(MemberEntry::inOnnx).containsOnly(false);
        double[] expected = new double[28];
        for (MemberEntry m : e.members()) {
          double[] path = BundleForecaster.statisticalPath(m, e.history(), 28);
          for (int h = 0; h < 28; h++) {
            expected[h] += m.weight() * path[h];
          }
        }
        Forecast f = b.forecast(c, 28);
        for (int h = 0; h < 28; h++) {
          assertThat(f.values()[h])
              .as(c + " day " + (h + 1))
              .isCloseTo(Math.max(0, expected[h]), within(1e-6 * Math.max(1, expected[h])));
        }
        assertThat(java.util.Arrays.stream(f.values()).allMatch(v -> Double.isFinite(v) && v > 0))
            .as(c + " forecasts")
            .isTrue();
      }
    }
  }
}
