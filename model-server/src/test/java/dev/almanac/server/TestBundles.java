package dev.almanac.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.almanac.ml.bundle.BundleMetadata;
import dev.almanac.ml.bundle.BundleWriter;
import dev.almanac.ml.bundle.ClassificationSection;
import dev.almanac.ml.bundle.DataLineage;
import dev.almanac.ml.bundle.ForecastSection;
import dev.almanac.ml.bundle.HoldoutPrediction;
import dev.almanac.ml.bundle.MemberEntry;
import dev.almanac.ml.bundle.SeriesEntry;
import dev.almanac.ml.clean.RegularSeries;
import dev.almanac.ml.clean.SeriesCleaner;
import dev.almanac.ml.clean.SeriesScaler;
import dev.almanac.ml.data.DiseaseInfo;
import dev.almanac.ml.data.DiseaseInfoLoader;
import dev.almanac.ml.data.LongTable;
import dev.almanac.ml.data.LongTableLoader;
import dev.almanac.ml.features.FeaturePipeline;
import dev.almanac.ml.features.FeatureSpec;
import dev.almanac.ml.onnx.TensorSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real model bundles for the tests, written with ml-core's {@code BundleWriter} around the small
 * ONNX graphs of {@code src/test/resources/fixtures} (made by {@code
 * src/test/python/make_fixtures.py}): a softmax classifier trained on the disease data and a linear
 * forecaster (0.6·lag_1 + 0.4·lag_7 + 1) over three real OWID series.
 */
public final class TestBundles {
  public static final List<String> SERIES = List.of("USA", "GBR", "DEU");
  public static final int HOLDOUT_DAYS = 60;
  private static LongTable owid;

  private TestBundles() {}

  public static Path dataDir() {
    return Path.of(System.getProperty("almanac.data.dir", "../../shared/data"))
        .toAbsolutePath()
        .normalize();
  }

  static byte[] fixture(String name) {
    try (InputStream in = TestBundles.class.getResourceAsStream("/fixtures/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A classification bundle named {@code name}, version {@code version}. */
  public static Path classifier(Path dir, String name, String version) {
    try {
      JsonNode meta = new ObjectMapper().readTree(fixture("classifier.json"));
      List<String> columns = new ArrayList<>();
      meta.get("columns").forEach(c -> columns.add(c.asText()));
      List<String> classes = new ArrayList<>();
      meta.get("classes").forEach(c -> classes.add(c.asText()));
      Path ds = dataDir().resolve("disease-symptoms");
      Map<String, DiseaseInfo> info =
          DiseaseInfoLoader.load(
              classes, ds.resolve("symptom_Description.csv"), ds.resolve("symptom_precaution.csv"));
      ClassificationSection cs =
          new ClassificationSection("prognosis", "SoftmaxRegression", classes, columns, info);
      BundleMetadata md =
          new BundleMetadata(
              BundleMetadata.FORMAT_VERSION,
              BundleMetadata.CLASSIFICATION,
              name,
              version,
              "2026-11-25T00:00:00Z",
              "disease-pipeline",
              "run-" + version,
              new DataLineage(ds.resolve("Training.csv").toString(), "fixture", 4920),
              null,
              cs);
      return new BundleWriter(dir)
          .onnx("model.onnx", fixture("classifier.onnx"))
          .metadata(md)
          .metrics(Map.of("test", Map.of("accuracy", 0.976, "logLoss", 0.12)))
          .signature(
              List.of(new TensorSpec("features", "float32", List.of(-1L, (long) columns.size()))),
              List.of(
                  new TensorSpec("label", "int64", List.of(-1L)),
                  new TensorSpec("probabilities", "float32", List.of(-1L, (long) classes.size()))))
          .write();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static synchronized LongTable owid() {
    if (owid == null) {
      owid =
          LongTableLoader.owid("new_cases")
              .load(dataDir().resolve("owid-covid/owid-covid-slim.csv.gz"), SERIES);
    }
    return owid;
  }

  /** A forecast bundle over USA, GBR and DEU;. */
  public static Path forecaster(Path dir, String name, String version) {
    FeatureSpec spec = FeatureSpec.defaults();
    FeaturePipeline fp = new FeaturePipeline(spec);
    Map<String, SeriesEntry> series = new LinkedHashMap<>();
    List<HoldoutPrediction> holdout = new ArrayList<>();
    BundleWriter w = new BundleWriter(dir);
    for (String s : SERIES) {
      RegularSeries reg = SeriesCleaner.regularize(owid().series().get(s));
      double[] v = reg.values();
      for (int t = v.length - HOLDOUT_DAYS; t < v.length; t++) {
        holdout.add(
            new HoldoutPrediction(
                s, reg.date(t), "Linear", v[t], 0.6 * v[t - 1] + 0.4 * v[t - 7] + 1));
      }
      series.put(
          s,
          new SeriesEntry(
              "series/" + s + ".onnx",
              SeriesScaler.identity(),
              null,
              List.of(new MemberEntry("Linear", 1.0, true, null)),
              reg.lastDate(),
              Arrays.copyOf(v, v.length)));
      w.onnx("series/" + s + ".onnx", fixture("regressor.onnx"));
    }
    ForecastSection fs =
        new ForecastSection(
            "date", "iso_code", "new_cases", spec, fp.names(), false, 28, "Linear", series);
    BundleMetadata md =
        new BundleMetadata(
            BundleMetadata.FORMAT_VERSION,
            BundleMetadata.FORECAST,
            name,
            version,
            "2026-11-25T00:00:00Z",
            "covid-pipeline",
            "run-" + version,
            new DataLineage("owid-covid-slim.csv.gz", "fixture", 1000),
            fs,
            null);
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("overall", Map.of("Linear", Map.of("mase", 0.91, "smape", 23.4)));
    Map<String, Object> perSeries = new LinkedHashMap<>();
    for (String s : SERIES) {
      perSeries.put(s, Map.of("Linear", Map.of("mase", 0.9, "mae", 1234.5)));
    }
    metrics.put("series", perSeries);
    return w.metadata(md)
        .metrics(metrics)
        .holdout(holdout)
        .signature(
            List.of(new TensorSpec("features", "float32", List.of(-1L, 13L))),
            List.of(new TensorSpec("prediction", "float32", List.of(-1L, 1L))))
        .write();
  }

  /** A directory that looks like a bundle but whose ONNX graph is garbage (a failed load). */
  public static Path broken(Path dir, String name) throws IOException {
    Path p = classifier(dir, name, "99");
    Files.write(p.resolve("model.onnx"), new byte[] {1, 2, 3, 4});
    return p;
  }

  public static LocalDate lastDate(String series) {
    return SeriesCleaner.regularize(owid().series().get(series)).lastDate();
  }
}
