package dev.almanac.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.almanac.ml.bundle.BundleMetadata;
import dev.almanac.ml.bundle.BundleWriter;
import dev.almanac.ml.bundle.DataLineage;
import dev.almanac.ml.bundle.ForecastSection;
import dev.almanac.ml.bundle.HoldoutPrediction;
import dev.almanac.ml.bundle.MemberEntry;
import dev.almanac.ml.bundle.SeriesEntry;
import dev.almanac.ml.clean.SeriesScaler;
import dev.almanac.ml.features.FeaturePipeline;
import dev.almanac.ml.features.FeatureSpec;
import dev.almanac.ml.forecast.ForecastInput;
import dev.almanac.ml.forecast.ProphetModel;
import dev.almanac.ml.forecast.RecursiveForecaster;
import dev.almanac.ml.onnx.OnnxModel;
import dev.almanac.ml.onnx.TensorSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server loads a bundle with a Prophet member (format 3) and serves it from the stored
 * parameters.
 */
class ProphetServingTest {
  @TempDir Path tmp;

  @Test
  void forecastAddsTheProphetPathToTheOnnxRecursion() throws Exception {
    FeaturePipeline fp = new FeaturePipeline(FeatureSpec.defaults());
    double[] hist = new double[200];
    for (int i = 0; i < hist.length; i++) {
      hist[i] = 1000 + 5 * i + 80 * Math.sin(2 * Math.PI * i / 7);
    }
    LocalDate last = LocalDate.of(2021, 4, 24);
    ProphetModel prophet = ProphetModel.fit(hist, last.minusDays(hist.length - 1L));
    SeriesEntry entry =
        new SeriesEntry(
            "series/AAA.onnx",
            SeriesScaler.identity(),
            null,
            List.of(
                new MemberEntry("LSTM", 0.7, true, null),
                new MemberEntry(MemberEntry.PROPHET, 0.3, false, null, prophet)),
            last,
            hist);
    ForecastSection fs =
        new ForecastSection(
            "date",
            "iso_code",
            "new_cases",
            FeatureSpec.defaults(),
            fp.names(),
            false,
            28,
            "ensemble",
            Map.of("AAA", entry));
    byte[] onnx = TestBundles.fixture("regressor.onnx");
    Path dir =
        new BundleWriter(tmp.resolve("b"))
            .onnx("series/AAA.onnx", onnx)
            .metadata(
                new BundleMetadata(
                    BundleMetadata.formatVersionFor(fs),
                    BundleMetadata.FORECAST,
                    "prophet-cases",
                    "1",
                    "2026-12-07T00:00:00Z",
                    "p",
                    "run-1",
                    new DataLineage("x.csv", "abc", 200),
                    fs,
                    null))
            .metrics(Map.of("overall", Map.of("ensemble", Map.of("mase", 1.0))))
            .holdout(List.of(new HoldoutPrediction("AAA", last, "ensemble", 1, 1)))
            .signature(
                List.of(new TensorSpec("features", "float32", List.of(-1L, 13L))),
                List.of(new TensorSpec("prediction", "float32", List.of(-1L, 1L))))
            .write();

    double[] path = prophet.forecast(last, 10);
    double[] off = new double[10];
    for (int h = 0; h < 10; h++) {
      off[h] = 0.3 * Math.max(0, path[h]);
    }
    double[] expected;
    try (OnnxModel graph = OnnxModel.load(dir.resolve("series/AAA.onnx"))) {
      expected =
          new RecursiveForecaster(fp)
              .forecast(
                  new ForecastInput(hist, last, null, 0.0, off),
                  10,
                  row -> {
                    float[] f = new float[row.length];
                    for (int i = 0; i < row.length; i++) {
                      f[i] = (float) row[i];
                    }
                    return graph.predict(f);
                  });
    }
    try (ServerHarness h = ServerHarness.ready(ServerHarness.config(List.of(dir.toString())))) {
      var r = h.post("/v1/forecast", new JsonObject().put("series", "AAA").put("horizon", 10));
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      JsonArray values = r.bodyAsJsonObject().getJsonArray("values");
      for (int i = 0; i < 10; i++) {
        assertThat(values.getDouble(i))
            .isCloseTo(expected[i], within(1e-3 * Math.max(1, Math.abs(expected[i]))));
      }
    }
  }
}
