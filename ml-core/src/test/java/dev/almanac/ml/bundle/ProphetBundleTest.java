package dev.almanac.ml.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.almanac.ml.clean.SeriesScaler;
import dev.almanac.ml.features.FeaturePipeline;
import dev.almanac.ml.features.FeatureSpec;
import dev.almanac.ml.forecast.ForecastInput;
import dev.almanac.ml.forecast.ProphetModel;
import dev.almanac.ml.forecast.RecursiveForecaster;
import dev.almanac.ml.onnx.TensorSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Prophet member round-trips through almanac.json and is served from its stored parameters. */
class ProphetBundleTest {
  @TempDir Path tmp;

  @Test
  void serverForecastUsesTheStoredProphetModel() throws Exception {
    FeaturePipeline fp = new FeaturePipeline(FeatureSpec.defaults());
    double[] hist = new double[120];
    double[] week = {20, 10, 0, 0, -5, -15, -10};
    for (int i = 0; i < hist.length; i++) {
      hist[i] = 100 + 3 * i + week[i % 7];
    }
    LocalDate last = LocalDate.of(2021, 4, 24);
    LocalDate first = last.minusDays(hist.length - 1L);
    ProphetModel prophet =
        ProphetModel.fit(
            hist,
            first,
            ProphetModel.Options.parse(
                Map.of("events", "easter=" + first.plusDays(30) + ",easter=" + last.plusDays(5))));
    List<MemberEntry> members =
        List.of(
            new MemberEntry("Linear", 0.6, true, null),
            new MemberEntry(MemberEntry.PROPHET, 0.4, false, null, prophet));
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
    assertThat(BundleMetadata.formatVersionFor(fs))
        .as("older readers refuse a Prophet member instead of failing per request")
        .isEqualTo(BundleMetadata.FORMAT_VERSION_PROPHET);
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
        .contains("\"prophet\"")
        .contains("\"easter\"");

    try (ModelBundle b = ModelBundle.load(tmp)) {
      ProphetModel served = b.metadata().forecast().series().get("AAA").members().get(1).prophet();
      assertThat(served.deltas()).containsExactly(prophet.deltas());
      assertThat(served.weekly()).containsExactly(prophet.weekly());
      assertThat(served.events()).isEqualTo(prophet.events());
      assertThat(served.origin()).isEqualTo(first);
      double[] pr = prophet.forecast(last, 14);
      double[] off = new double[14];
      for (int h = 0; h < 14; h++) {
        off[h] = 0.4 * Math.max(0, pr[h]);
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
      // the event day after the history carries the fitted effect
      assertThat(pr[4]).isNotCloseTo(prophet.trend(last.plusDays(5)), within(1e-9));
    }
  }
}
