package dev.almanac.ml.bundle;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.almanac.ml.data.RawSeries;
import dev.almanac.ml.onnx.OnnxModel;
import dev.almanac.ml.onnx.TensorSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A model bundle directory loaded for serving (layout in docs/model-bundle.md). Thread-safe; ONNX
 * sessions open lazily, once per file, and close with the bundle.
 */
public final class ModelBundle implements AutoCloseable {
  private final Path dir;
  private final BundleMetadata metadata;
  private final MlModelFile mlModel;
  private final Map<String, Object> metrics;
  private final Map<String, OnnxModel> sessions = new ConcurrentHashMap<>();
  private final BundleForecaster forecaster;
  private final BundleClassifier classifier;
  private volatile List<HoldoutPrediction> holdout;

  private ModelBundle(
      Path dir, BundleMetadata metadata, MlModelFile mlModel, Map<String, Object> metrics) {
    this.dir = dir;
    this.metadata = metadata;
    this.mlModel = mlModel;
    this.metrics = metrics;
    this.forecaster =
        metadata.forecast() == null
            ? null
            : new BundleForecaster(metadata.forecast(), this::session);
    this.classifier =
        metadata.classification() == null
            ? null
            : new BundleClassifier(metadata.classification(), onnx());
  }

  /**
   * @throws IllegalArgumentException when the directory is not a bundle (the message names the
   *     missing file)
   */
  public static ModelBundle load(Path dir) {
    for (String f : List.of(BundleFiles.MLMODEL, BundleFiles.METADATA, BundleFiles.MODEL_ONNX)) {
      if (!Files.isRegularFile(dir.resolve(f))) {
        throw new IllegalArgumentException("not a model bundle: " + dir.resolve(f) + " is missing");
      }
    }
    ObjectMapper json = BundleJson.mapper();
    try {
      BundleMetadata meta =
          json.readValue(dir.resolve(BundleFiles.METADATA).toFile(), BundleMetadata.class);
      if (meta.formatVersion() > BundleMetadata.FORMAT_VERSION) {
        throw new IllegalArgumentException(
            dir
                + ": bundle format "
                + meta.formatVersion()
                + " is newer than this reader ("
                + BundleMetadata.FORMAT_VERSION
                + ")");
      }
      Path metricsFile = dir.resolve(BundleFiles.METRICS);
      Map<String, Object> metrics =
          Files.exists(metricsFile)
              ? json.readValue(metricsFile.toFile(), new TypeReference<Map<String, Object>>() {})
              : Map.of();
      return new ModelBundle(
          dir, meta, MlModelFile.read(dir.resolve(BundleFiles.MLMODEL)), metrics);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read bundle " + dir, e);
    }
  }

  public Path dir() {
    return dir;
  }

  public BundleMetadata metadata() {
    return metadata;
  }

  public String name() {
    return metadata.name();
  }

  public String version() {
    return metadata.version();
  }

  /** {@code forecast} or {@code classification}. */
  public String task() {
    return metadata.task();
  }

  /** Contents of metrics.json. */
  public Map<String, Object> metrics() {
    return metrics;
  }

  public MlModelFile mlModel() {
    return mlModel;
  }

  /** Signature inputs of model.onnx (name, dtype, shape) for KServe V2 metadata. */
  public List<TensorSpec> inputs() {
    return mlModel.inputs();
  }

  public List<TensorSpec> outputs() {
    return mlModel.outputs();
  }

  /** The default ONNX session (model.onnx): raw tensors in, raw tensors out (KServe V2 infer). */
  public OnnxModel onnx() {
    return session(BundleFiles.MODEL_ONNX);
  }

  /** Forecast bundles: the series it can forecast, in training order; empty for a classifier. */
  public List<String> series() {
    return forecaster == null ? List.of() : forecaster.series();
  }

  public Forecast forecast(String series, int horizon) {
    return forecaster().forecast(series, horizon);
  }

  public Forecast forecast(String series, int horizon, RawSeries replacementHistory) {
    return forecaster().forecast(series, horizon, replacementHistory);
  }

  public List<DiseasePrediction> predict(List<String> symptoms, int topK) {
    return classifier().predict(symptoms, topK);
  }

  public BundleForecaster forecaster() {
    if (forecaster == null) {
      throw new IllegalStateException(
          "bundle " + name() + " is a " + task() + " model, not a forecast model");
    }
    return forecaster;
  }

  public BundleClassifier classifier() {
    if (classifier == null) {
      throw new IllegalStateException(
          "bundle " + name() + " is a " + task() + " model, not a classifier");
    }
    return classifier;
  }

  /** The cleaned history the bundle forecasts from (what the models saw), for charts. */
  public DatedValues history(String series) {
    SeriesEntry e = forecaster().entries().get(series);
    if (e == null) {
      throw new IllegalArgumentException("unknown series '" + series + "', known: " + series());
    }
    List<java.time.LocalDate> dates = new java.util.ArrayList<>(e.history().length);
    for (int i = 0; i < e.history().length; i++) {
      dates.add(e.firstDate().plusDays(i));
    }
    return new DatedValues(series, dates, e.history().clone());
  }

  /**
   * Rows of holdout_predictions.csv (every model's holdout forecast next to the actuals); empty if
   * absent.
   */
  public List<HoldoutPrediction> holdoutPredictions() {
    List<HoldoutPrediction> h = holdout;
    if (h == null) {
      Path f = dir.resolve(BundleFiles.HOLDOUT);
      List<HoldoutPrediction> rows = new java.util.ArrayList<>();
      if (Files.exists(f)) {
        try (var csv =
            de.siegmar.fastcsv.reader.CsvReader.builder().skipEmptyLines(true).ofCsvRecord(f)) {
          boolean header = true;
          for (var r : csv) {
            if (header) {
              header = false;
              continue;
            }
            rows.add(
                new HoldoutPrediction(
                    r.getField(0),
                    java.time.LocalDate.parse(r.getField(1)),
                    r.getField(2),
                    Double.parseDouble(r.getField(3)),
                    Double.parseDouble(r.getField(4))));
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + f, e);
        }
      }
      holdout = h = List.copyOf(rows);
    }
    return h;
  }

  private OnnxModel session(String relative) {
    return sessions.computeIfAbsent(relative, r -> OnnxModel.load(dir.resolve(r)));
  }

  @Override
  public void close() {
    sessions.values().forEach(OnnxModel::close);
    sessions.clear();
  }
}
