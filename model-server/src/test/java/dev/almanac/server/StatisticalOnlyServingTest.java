package dev.almanac.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.almanac.ml.bundle.BundleForecaster;
import dev.almanac.ml.bundle.BundleMetadata;
import dev.almanac.ml.bundle.BundleWriter;
import dev.almanac.ml.bundle.DataLineage;
import dev.almanac.ml.bundle.ForecastSection;
import dev.almanac.ml.bundle.MemberEntry;
import dev.almanac.ml.bundle.SeriesEntry;
import dev.almanac.ml.clean.RegularSeries;
import dev.almanac.ml.clean.SeriesCleaner;
import dev.almanac.ml.clean.SeriesScaler;
import dev.almanac.ml.features.FeaturePipeline;
import dev.almanac.ml.features.FeatureSpec;
import dev.almanac.ml.forecast.EtsModel;
import dev.almanac.ml.intervals.ConformalCalibration;
import dev.almanac.ml.intervals.IntervalBands;
import dev.almanac.ml.onnx.TensorSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #20 item 3: a forecast bundle whose members are all statistical (SeasonalNaive + ETS, no ML
 * member) loads in the server and /v1/forecast returns the weighted statistical paths. Its
 * model.onnx is never run for a forecast (the trainer writes a graph predicting 0 there; any valid
 * graph does here).
 */
class StatisticalOnlyServingTest {
  @TempDir Path tmp;

  @Test
  void servesTheWeightedStatisticalPaths() throws Exception {
    FeatureSpec spec = FeatureSpec.defaults();
    Map<String, SeriesEntry> series = new LinkedHashMap<>();
    for (String s : List.of("USA", "GBR")) {
      RegularSeries reg = SeriesCleaner.regularize(TestBundles.owid().series().get(s));
      double[] history = reg.values();
      series.put(
          s,
          new SeriesEntry(
              "model.onnx",
              SeriesScaler.identity(),
              null,
              List.of(
                  new MemberEntry(MemberEntry.SEASONAL_NAIVE, 0.4, false, null),
                  new MemberEntry(
                      MemberEntry.ETS, 0.6, false, EtsModel.fit(history, EtsModel.MULTIPLICATIVE))),
              reg.lastDate(),
              history));
    }
    // GBR carries prediction intervals (issue 20 item 4), USA none (a bundle from before them)
    IntervalBands gbrBands =
        new IntervalBands(
            ConformalCalibration.METHOD,
            new double[] {0.8, 0.95},
            new double[][] {{100, 200, 300}, {250, 500, 750}});
    series.put("GBR", series.get("GBR").withIntervals(gbrBands));
    ForecastSection fs =
        new ForecastSection(
            "date",
            "iso_code",
            "new_cases",
            spec,
            new FeaturePipeline(spec).names(),
            false,
            28,
            "ensemble",
            series);
    Path dir =
        new BundleWriter(tmp.resolve("stat"))
            .onnx("model.onnx", TestBundles.fixture("regressor.onnx"))
            .metadata(
                new BundleMetadata(
                    BundleMetadata.FORMAT_VERSION,
                    BundleMetadata.FORECAST,
                    "stat-only",
                    "1",
                    "2026-12-07T00:00:00Z",
                    "stat-pipeline",
                    "run-1",
                    new DataLineage("owid-covid-slim.csv.gz", "fixture", 1000),
                    fs,
                    null))
            .metrics(Map.of())
            .holdout(List.of())
            .signature(
                List.of(new TensorSpec("features", "float32", List.of(-1L, 13L))),
                List.of(new TensorSpec("prediction", "float32", List.of(-1L, 1L))))
            .write();

    try (ServerHarness h = ServerHarness.ready(ServerHarness.config(List.of(dir.toString())))) {
      for (var e : series.entrySet()) {
        var r =
            h.post("/v1/forecast", new JsonObject().put("series", e.getKey()).put("horizon", 14));
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        JsonObject f = r.bodyAsJsonObject();
        assertThat(f.getString("model")).isEqualTo("stat-only");
        for (int d = 0; d < 14; d++) {
          double expected = 0;
          for (MemberEntry m : e.getValue().members()) {
            expected +=
                m.weight() * BundleForecaster.statisticalPath(m, e.getValue().history(), 14)[d];
          }
          assertThat(f.getJsonArray("values").getDouble(d))
              .as(e.getKey() + " day " + (d + 1))
              .isCloseTo(expected, within(1e-6 * Math.max(1, expected)));
        }
        if (e.getKey().equals("USA")) {
          assertThat(f.containsKey("intervals")).isFalse();
          continue;
        }
        JsonArray ivs = f.getJsonArray("intervals");
        assertThat(ivs).hasSize(2);
        for (int l = 0; l < 2; l++) {
          JsonObject iv = ivs.getJsonObject(l);
          assertThat(iv.getDouble("level")).isEqualTo(gbrBands.levels()[l]);
          for (int d = 0; d < 14; d++) {
            double v = f.getJsonArray("values").getDouble(d);
            double w = gbrBands.width(l, d); // steps after the third reuse its width
            assertThat(iv.getJsonArray("lower").getDouble(d))
                .isCloseTo(Math.max(0, v - w), within(1e-6 * Math.max(1, v)));
            assertThat(iv.getJsonArray("upper").getDouble(d))
                .isCloseTo(v + w, within(1e-6 * Math.max(1, v)));
          }
        }
      }
    }
  }
}
