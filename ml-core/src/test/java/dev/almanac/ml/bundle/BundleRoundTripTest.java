package dev.almanac.ml.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.almanac.ml.clean.SeriesScaler;
import dev.almanac.ml.data.DiseaseInfo;
import dev.almanac.ml.data.RawSeries;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleRoundTripTest {
  @TempDir Path tmp;

  static byte[] onnx(String name) throws Exception {
    return Files.readAllBytes(
        Path.of(BundleRoundTripTest.class.getResource("/onnx/" + name).toURI()));
  }

  /** Weekly pattern on a slow rise; long enough for ETS. */
  static double[] history(int n) {
    double[] h = new double[n];
    for (int i = 0; i < n; i++) {
      h[i] = 100 + i + 10 * (i % 7);
    }
    return h;
  }

  @Test
  void forecastBundleRoundTripGivesTheSameForecastAsTheTrainerComputes() throws Exception {
    FeaturePipeline fp = new FeaturePipeline(FeatureSpec.defaults());
    double[] hist = history(60);
    LocalDate last = LocalDate.of(2021, 4, 24);
    EtsModel ets = EtsModel.fit(hist);
    SeriesScaler sc = SeriesScaler.identity();
    List<MemberEntry> members =
        List.of(
            new MemberEntry("Linear", 0.5, true, null),
            new MemberEntry(MemberEntry.SEASONAL_NAIVE, 0.3, false, null),
            new MemberEntry(MemberEntry.ETS, 0.2, false, ets));
    // The ONNX graph of the test computes 0.5 + sum 0.01*(i+1)*x_i, standing in for "0.5 * Linear".
    SeriesEntry entry = new SeriesEntry("series/AAA.onnx", sc, null, members, last, hist);
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
        .onnx("series/AAA.onnx", onnx("linear13.onnx"))
        .metadata(meta)
        .metrics(Map.of("overall", Map.of("ensemble", Map.of("mase", 1.5))))
        .holdout(List.of(new HoldoutPrediction("AAA", last, "ensemble", 1, 2)))
        .signature(
            List.of(new TensorSpec("features", "float32", List.of(-1L, 13L))),
            List.of(new TensorSpec("prediction", "float32", List.of(-1L, 1L))))
        .write();

    assertThat(tmp.resolve(BundleFiles.MODEL_ONNX)).exists();
    assertThat(tmp.resolve("series/AAA.onnx")).exists();
    String mlmodel = Files.readString(tmp.resolve(BundleFiles.MLMODEL));
    assertThat(mlmodel)
        .contains("loader_module: mlflow.onnx")
        .contains("python_function:")
        .contains("onnx:")
        .contains("tensor-spec");
    assertThat(Files.readString(tmp.resolve(BundleFiles.HOLDOUT)))
        .startsWith("series,date,model,actual,forecast\nAAA,2021-04-24,ensemble,1.000,2.000");

    try (ModelBundle b = ModelBundle.load(tmp)) {
      assertThat(b.task()).isEqualTo("forecast");
      assertThat(b.name()).isEqualTo("covid-cases");
      assertThat(b.version()).isEqualTo("run-1");
      assertThat(b.series()).containsExactly("AAA");
      assertThat(b.inputs())
          .containsExactly(new TensorSpec("features", "float32", List.of(-1L, 13L)));
      assertThat(b.onnx().inputName()).isEqualTo("features");
      assertThat(b.metadata().forecast().series().get("AAA").members().get(2).ets()).isEqualTo(ets);
      assertThat(b.metrics()).containsKey("overall");
      assertThat(b.metadata().data().sha256()).isEqualTo("abc");
      assertThat(b.holdoutPredictions())
          .containsExactly(new HoldoutPrediction("AAA", last, "ensemble", 1, 2));
      DatedValues hv = b.history("AAA");
      assertThat(hv.dates()).hasSize(60).endsWith(last);
      assertThat(hv.values()).containsExactly(hist);

      Forecast f = b.forecast("AAA", 10);
      // Expected: same recursion with the linear graph written out by hand plus the statistical
      // members.
      double[] sn = NaiveForecasts.seasonal(hist, 10);
      double[] et = ets.forecast(hist, 10);
      double[] off = new double[10];
      for (int h = 0; h < 10; h++) {
        off[h] = 0.3 * sn[h] + 0.2 * Math.max(0, et[h]);
      }
      double[] expected =
          new RecursiveForecaster(fp)
              .forecast(
                  new ForecastInput(hist, last, null, 0.0, off),
                  10,
                  row -> {
                    double s = 0.5;
                    for (int i = 0; i < row.length; i++) {
                      s += (float) row[i] * 0.01 * (i + 1);
                    }
                    return s;
                  });
      assertThat(f.dates()).hasSize(10).startsWith(last.plusDays(1));
      for (int h = 0; h < 10; h++) {
        assertThat(f.values()[h])
            .isCloseTo(expected[h], within(1e-3 * Math.max(1, Math.abs(expected[h]))));
      }

      // A replacement history (with a gap and a negative day) is cleaned and used instead.
      List<LocalDate> dates = new ArrayList<>();
      double[] vals = new double[40];
      for (int i = 0; i < 40; i++) {
        dates.add(LocalDate.of(2021, 6, 1).plusDays(i));
        vals[i] = 50;
      }
      vals[5] = -4;
      Forecast g = b.forecast("AAA", 3, new RawSeries("AAA", dates, vals));
      assertThat(g.dates().get(0)).isEqualTo(LocalDate.of(2021, 7, 11));
      assertThat(java.util.Arrays.stream(g.values()).boxed().toList())
          .allSatisfy(v -> assertThat(v).isFinite().isGreaterThanOrEqualTo(0));

      assertThatThrownBy(() -> b.forecast("ZZZ", 3)).hasMessageContaining("unknown series 'ZZZ'");
      assertThatThrownBy(() -> b.forecast("AAA", 0)).hasMessageContaining("horizon");
      assertThatThrownBy(() -> b.predict(List.of("x"), 1)).hasMessageContaining("not a classifier");
    }
  }

  @Test
  void classificationBundleReturnsTopKWithDescriptions() throws Exception {
    List<String> cols = List.of("itching", "skin_rash", "fluid_overload", "fluid_overload");
    ClassificationSection cs =
        new ClassificationSection(
            "prognosis",
            "RandomForest",
            List.of("Allergy", "Acne", "Flu"),
            cols,
            Map.of(
                "Allergy",
                new DiseaseInfo("An allergy.", List.of("avoid it")),
                "Acne",
                new DiseaseInfo("Spots.", List.of())));
    BundleMetadata meta =
        new BundleMetadata(
            1, BundleMetadata.CLASSIFICATION, "disease", "3", "t", "p", "r", null, null, cs);
    new BundleWriter(tmp)
        .onnx(BundleFiles.MODEL_ONNX, onnx("softmax4x3.onnx"))
        .metadata(meta)
        .signature(
            List.of(new TensorSpec("features", "float32", List.of(-1L, 4L))),
            List.of(
                new TensorSpec("label", "int64", List.of(-1L)),
                new TensorSpec("probabilities", "float32", List.of(-1L, 3L))))
        .write();
    try (ModelBundle b = ModelBundle.load(tmp)) {
      assertThat(b.series()).isEmpty();
      assertThat(b.outputs())
          .extracting(TensorSpec::name)
          .containsExactly("label", "probabilities");
      assertThat(b.classifier().symptoms())
          .containsExactly("itching", "skin_rash", "fluid_overload");
      List<DiseasePrediction> top = b.predict(List.of("Itching"), 2);
      assertThat(top).hasSize(2);
      assertThat(top.get(0).disease()).isEqualTo("Allergy");
      assertThat(top.get(0).probability()).isCloseTo(Math.exp(3) / (Math.exp(3) + 2), within(1e-5));
      assertThat(top.get(0).description()).isEqualTo("An allergy.");
      assertThat(top.get(0).precautions()).containsExactly("avoid it");
      // fluid_overload sets both duplicate columns: logits (0,0,3) + (1,1,0) = (1,1,3)
      List<DiseasePrediction> dup = b.predict(List.of("fluid overload"), 3);
      assertThat(dup.get(0).disease()).isEqualTo("Flu");
      assertThat(dup.get(0).probability())
          .isCloseTo(Math.exp(3) / (Math.exp(3) + 2 * Math.E), within(1e-5));
      assertThatThrownBy(() -> b.predict(List.of("headache"), 2))
          .hasMessageContaining("unknown symptom 'headache'");
      assertThatThrownBy(() -> b.forecast("AAA", 1)).hasMessageContaining("not a forecast model");
    }
  }

  @Test
  void notABundleNamesTheMissingFile() {
    assertThatThrownBy(() -> ModelBundle.load(tmp))
        .hasMessageContaining("MLmodel")
        .hasMessageContaining("missing");
  }
}
