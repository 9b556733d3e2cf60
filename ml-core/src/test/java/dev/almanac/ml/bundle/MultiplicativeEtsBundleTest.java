package dev.almanac.ml.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.almanac.ml.clean.SeriesScaler;
import dev.almanac.ml.features.FeaturePipeline;
import dev.almanac.ml.features.FeatureSpec;
import dev.almanac.ml.forecast.EtsModel;
import dev.almanac.ml.forecast.ForecastInput;
import dev.almanac.ml.forecast.NaiveForecasts;
import dev.almanac.ml.forecast.RecursiveForecaster;
import dev.almanac.ml.onnx.TensorSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle whose ETS member has a multiplicative season is served with that season, from the stored
 * parameters.
 */
class MultiplicativeEtsBundleTest {
  @TempDir Path tmp;

  @Test
  void serverForecastUsesTheStoredMultiplicativeEts() throws Exception {
    FeaturePipeline fp = new FeaturePipeline(FeatureSpec.defaults());
    double[] hist = new double[70];
    double[] ratio = {1.3, 1.1, 1.0, 1.0, 0.9, 0.6, 1.1};
    for (int i = 0; i < hist.length; i++) {
      hist[i] = (100 + 3 * i) * ratio[i % 7];
    }
    LocalDate last = LocalDate.of(2021, 4, 24);
    EtsModel ets = EtsModel.fit(hist, EtsModel.MULTIPLICATIVE);
    List<MemberEntry> members =
        List.of(
            new MemberEntry("Linear", 0.5, true, null),
            new MemberEntry(MemberEntry.SEASONAL_NAIVE, 0.2, false, null),
            new MemberEntry(MemberEntry.ETS, 0.3, false, ets));
    SeriesEntry entry =
        new SeriesEntry("series/AAA.onnx", SeriesScaler.identity(), null, members, last, hist);
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
    assertThat(BundleMetadata.formatVersionFor(fs)).isEqualTo(2);
    assertThat(
            BundleMetadata.formatVersionFor(
                new ForecastSection(
                    "date",
                    "iso_code",
                    "new_cases",
                    FeatureSpec.defaults(),
                    fp.names(),
                    false,
                    28,
                    "ensemble",
                    Map.of(
                        "AAA",
                        new SeriesEntry(
                            "series/AAA.onnx",
                            SeriesScaler.identity(),
                            null,
                            List.of(
                                members.get(0),
                                new MemberEntry(MemberEntry.ETS, 0.5, false, EtsModel.fit(hist))),
                            last,
                            hist)))))
        .as("an additive ETS keeps version 1, readable by older servers")
        .isEqualTo(1);
    BundleMetadata meta =
        new BundleMetadata(
            BundleMetadata.formatVersionFor(fs),
            BundleMetadata.FORECAST,
            "covid-cases",
            "run-1",
            "2026-11-25T00:00:00Z",
            "covid",
            "run-1",
            new DataLineage("x.csv", "abc", 10),
            fs,
            null);
    new BundleWriter(tmp)
        .onnx("series/AAA.onnx", BundleRoundTripTest.onnx("linear13.onnx"))
        .metadata(meta)
        .metrics(Map.of("overall", Map.of("ensemble", Map.of("mase", 1.5))))
        .holdout(List.of(new HoldoutPrediction("AAA", last, "ensemble", 1, 2)))
        .signature(
            List.of(new TensorSpec("features", "float32", List.of(-1L, 13L))),
            List.of(new TensorSpec("prediction", "float32", List.of(-1L, 1L))))
        .write();
    assertThat(Files.readString(tmp.resolve(BundleFiles.METADATA)))
        .containsPattern("\"seasonal\"\\s*:\\s*\"multiplicative\"");

    try (ModelBundle b = ModelBundle.load(tmp)) {
      EtsModel served = b.metadata().forecast().series().get("AAA").members().get(2).ets();
      assertThat(served).isEqualTo(ets);
      assertThat(served.multiplicative()).isTrue();
      // Expected: the trainer's computation (the ensemble recursion with the statistical paths as
      // per-step offsets).
      double[] sn = NaiveForecasts.seasonal(hist, 14);
      double[] et = ets.forecast(hist, 14);
      double[] additive = EtsModel.fit(hist).forecast(hist, 14);
      double[] off = new double[14];
      for (int h = 0; h < 14; h++) {
        off[h] = 0.2 * sn[h] + 0.3 * Math.max(0, et[h]);
      }
      double[] expected =
          new RecursiveForecaster(fp)
              .forecast(
                  new ForecastInput(hist, last, null, 0.0, off),
                  14,
                  row -> {
                    double s = 0.5;
                    for (int i = 0; i < row.length; i++) {
                      s += (float) row[i] * 0.01 * (i + 1);
                    }
                    return s;
                  });
      double[] got = b.forecast("AAA", 14).values();
      for (int h = 0; h < 14; h++) {
        assertThat(got[h])
            .isCloseTo(expected[h], within(1e-3 * Math.max(1, Math.abs(expected[h]))));
      }
      assertThat(et).isNotEqualTo(additive);
    }
  }
}
