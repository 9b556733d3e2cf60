package dev.almanac.ml.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.ml.clean.SeriesScaler;
import dev.almanac.ml.data.RawSeries;
import dev.almanac.ml.features.FeaturePipeline;
import dev.almanac.ml.features.FeatureSpec;
import dev.almanac.ml.forecast.EtsModel;
import dev.almanac.ml.onnx.TensorSpec;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code forecastWithRecent} re-cleans only the changed days; it must equal cleaning the whole
 * merged history.
 */
class BundleForecasterRecentTest {
  @TempDir Path tmp;

  static final LocalDate LAST = LocalDate.of(2021, 4, 24);

  /** Weekly pattern with spikes that the Hampel rule clips (some even after one pass). */
  static double[] spiky(int n) {
    double[] h = new double[n];
    for (int i = 0; i < n; i++) {
      h[i] = 100 + i + 10 * (i % 7) + (i % 11 == 0 ? 400 : 0) + (i % 23 == 0 ? 900 : 0);
    }
    return h;
  }

  ModelBundle bundle(double[] stored) throws Exception {
    FeaturePipeline fp = new FeaturePipeline(FeatureSpec.defaults());
    List<MemberEntry> members =
        List.of(
            new MemberEntry("Linear", 0.5, true, null),
            new MemberEntry(MemberEntry.SEASONAL_NAIVE, 0.3, false, null),
            new MemberEntry(MemberEntry.ETS, 0.2, false, EtsModel.fit(stored)));
    SeriesEntry entry =
        new SeriesEntry("series/AAA.onnx", SeriesScaler.identity(), null, members, LAST, stored);
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
    BundleMetadata meta =
        new BundleMetadata(
            BundleMetadata.FORMAT_VERSION,
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
        .metrics(Map.of())
        .holdout(List.of())
        .signature(
            List.of(new TensorSpec("features", "float32", List.of(-1L, 13L))),
            List.of(new TensorSpec("prediction", "float32", List.of(-1L, 1L))))
        .write();
    return ModelBundle.load(tmp);
  }

  /** What the server did before: splice the values into the stored history and clean all of it. */
  static Forecast reference(ModelBundle b, double[] stored, double[] recent, int horizon) {
    double[] merged = stored.clone();
    if (recent.length >= stored.length) {
      merged = recent.clone();
    } else {
      System.arraycopy(recent, 0, merged, stored.length - recent.length, recent.length);
    }
    List<LocalDate> dates = new ArrayList<>();
    for (int i = 0; i < merged.length; i++) {
      dates.add(LAST.minusDays(merged.length - 1L - i));
    }
    return b.forecast("AAA", horizon, new RawSeries("AAA", dates, merged));
  }

  @Test
  void equalsCleaningTheWholeMergedHistory() throws Exception {
    double[] stored = spiky(120);
    try (ModelBundle b = bundle(stored)) {
      double[] spikyTail = new double[20];
      for (int i = 0; i < 20; i++) {
        spikyTail[i] = 150 + 5 * (i % 7) + (i == 9 ? 5000 : 0);
      }
      spikyTail[3] = -7;
      spikyTail[4] = Double.NaN;
      double[] whole = spiky(150);
      whole[0] = Double.NaN;
      for (double[] recent :
          List.of(spikyTail, new double[] {1, 2, 3}, whole, java.util.Arrays.copyOf(stored, 114))) {
        for (int horizon : new int[] {1, 14, 28}) {
          Forecast expected = reference(b, stored, recent, horizon);
          Forecast actual = b.forecaster().forecastWithRecent("AAA", horizon, recent);
          assertThat(actual.dates()).isEqualTo(expected.dates());
          assertThat(actual.values()).containsExactly(expected.values());
        }
      }
      // the spike in the new values changed the forecast (it is not simply the stored one)
      assertThat(b.forecaster().forecastWithRecent("AAA", 14, spikyTail).values())
          .isNotEqualTo(b.forecast("AAA", 14).values());
    }
  }

  @Test
  void batchedRequestsEqualTheirOwnForecasts() throws Exception {
    double[] stored = spiky(120);
    try (ModelBundle b = bundle(stored)) {
      List<BundleForecaster.Request> requests =
          List.of(
              new BundleForecaster.Request("AAA", 14, new double[] {1, 2, 3}),
              new BundleForecaster.Request("AAA", 28, null),
              new BundleForecaster.Request("AAA", 14, spiky(30)),
              new BundleForecaster.Request("AAA", 14, null),
              new BundleForecaster.Request("AAA", 1, spiky(20)));
      List<Forecast> batched = b.forecaster().forecastAll(requests);
      assertThat(batched).hasSize(requests.size());
      for (int i = 0; i < requests.size(); i++) {
        BundleForecaster.Request r = requests.get(i);
        Forecast alone =
            r.recent() == null
                ? b.forecast("AAA", r.horizon())
                : b.forecaster().forecastWithRecent("AAA", r.horizon(), r.recent());
        assertThat(batched.get(i).dates()).isEqualTo(alone.dates());
        // one ONNX call of several rows may round the last float bit differently from single-row
        // calls
        for (int h = 0; h < r.horizon(); h++) {
          assertThat(batched.get(i).values()[h])
              .isCloseTo(
                  alone.values()[h],
                  org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, alone.values()[h])));
        }
      }
      // the three 14-day requests differ from each other: each kept its own history
      assertThat(batched.get(0).values()).isNotEqualTo(batched.get(2).values());
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  b.forecaster()
                      .forecastAll(
                          List.of(requests.get(0), new BundleForecaster.Request("ZZZ", 14, null))))
          .hasMessageContaining("unknown series 'ZZZ'");
    }
  }
}
