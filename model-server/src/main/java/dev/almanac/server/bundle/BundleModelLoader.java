package dev.almanac.server.bundle;

import dev.almanac.ml.bundle.BundleFiles;
import dev.almanac.ml.bundle.BundleMetadata;
import dev.almanac.ml.bundle.InputProfile;
import dev.almanac.ml.bundle.ModelBundle;
import dev.almanac.server.metrics.ServerMetrics;
import dev.almanac.server.model.BatchSettings;
import dev.almanac.server.model.ModelLoadException;
import dev.almanac.server.model.ModelLoader;
import dev.almanac.server.model.OnnxTensorModel;
import dev.almanac.server.model.ServedModel;
import dev.almanac.server.monitoring.InputDriftMetrics;
import dev.almanac.server.monitoring.InputDriftMonitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads ml-core model bundles (and hands MLflow ONNX models without a bundle to {@link
 * MlflowOnnxModelLoader}): the bundle gives the tasks (forecaster, classifier encoding) and opens
 * the ONNX sessions (ml-core's {@code OnnxModel}, single-threaded); its {@code model.onnx} session
 * is also the typed tensor model of KServe V2 infer and the classifier.
 */
public final class BundleModelLoader implements ModelLoader {
  private final ModelSourceResolver resolver;
  private final BatchSettings batching;
  private final ServerMetrics metrics;
  private final MlflowOnnxModelLoader mlflowOnnx;
  private final int driftWindow;
  private final InputDriftMetrics driftMetrics;

  /** Default drift window of {@value #DEFAULT_DRIFT_WINDOW} requests. */
  public static final int DEFAULT_DRIFT_WINDOW = 1000;

  public BundleModelLoader(
      ModelSourceResolver resolver, BatchSettings batching, ServerMetrics metrics) {
    this(resolver, batching, metrics, DEFAULT_DRIFT_WINDOW);
  }

  /**
   * @param driftWindow requests per input-drift window of a classifier whose bundle has an {@link
   *     InputProfile}
   */
  public BundleModelLoader(
      ModelSourceResolver resolver,
      BatchSettings batching,
      ServerMetrics metrics,
      int driftWindow) {
    this.resolver = resolver;
    this.batching = batching;
    this.metrics = metrics;
    this.mlflowOnnx = new MlflowOnnxModelLoader(batching, metrics);
    this.driftWindow = driftWindow;
    this.driftMetrics = new InputDriftMetrics(metrics.registry());
  }

  @Override
  public ServedModel load(String source, String name) throws ModelLoadException {
    ModelSourceResolver.Resolved r = resolver.resolve(source);
    Path dir = r.dir();
    if (!Files.isDirectory(dir)) {
      throw new ModelLoadException("cannot load " + source + ": " + dir + " is not a directory");
    }
    if (MlflowOnnxModelLoader.isMlflowModel(dir, BundleFiles.METADATA)) {
      // logged by MLflow's Python client: served as raw tensors
      return mlflowOnnx.load(
          dir,
          source,
          name != null ? name : r.name() != null ? r.name() : dir.getFileName().toString(),
          r.version() != null ? r.version() : "1");
    }
    ModelBundle bundle;
    try {
      bundle = ModelBundle.load(dir);
    } catch (RuntimeException e) {
      throw new ModelLoadException("cannot load " + source + ": " + e.getMessage(), e);
    }
    OnnxTensorModel tensors = null;
    try {
      String servedName =
          name != null
              ? name
              : r.name() != null
                  ? r.name()
                  : bundle.name() != null ? bundle.name() : dir.getFileName().toString();
      String version =
          r.version() != null ? r.version() : bundle.version() != null ? bundle.version() : "1";
      tensors = new OnnxTensorModel(bundle.onnx());
      boolean forecast = BundleMetadata.FORECAST.equals(bundle.task());
      if (!forecast && !BundleMetadata.CLASSIFICATION.equals(bundle.task())) {
        throw new ModelLoadException(
            "cannot load "
                + source
                + ": unknown task '"
                + bundle.task()
                + "' in "
                + BundleFiles.METADATA);
      }
      InputDriftMonitor drift =
          forecast
              ? null
              : InputProfile.read(dir)
                  .map(
                      p ->
                          new InputDriftMonitor(
                              bundle.metadata().classification().symptomColumns(), p, driftWindow))
                  .orElse(null);
      ServedModel served =
          new ServedModel(
              servedName,
              version,
              source,
              tensors,
              forecast ? new BundleForecastTask(bundle) : null,
              forecast ? null : new BundleClassificationTask(bundle, tensors, drift),
              info(bundle),
              batching,
              metrics.model(servedName, version),
              bundle);
      if (drift != null) {
        driftMetrics.register(servedName, version, drift);
      }
      return served;
    } catch (RuntimeException e) {
      if (tensors != null) {
        tensors.close();
      }
      bundle.close();
      throw new ModelLoadException("cannot load " + source + ": " + e.getMessage(), e);
    } catch (ModelLoadException e) {
      if (tensors != null) {
        tensors.close();
      }
      bundle.close();
      throw e;
    }
  }

  private static Map<String, String> info(ModelBundle b) {
    BundleMetadata m = b.metadata();
    Map<String, String> out = new LinkedHashMap<>();
    put(out, "bundleVersion", m.version());
    put(out, "createdAt", m.createdAt());
    put(out, "pipeline", m.pipeline());
    put(out, "runId", m.runId());
    if (m.data() != null) {
      put(out, "dataSource", m.data().source());
      put(out, "dataSha256", m.data().sha256());
    }
    if (m.forecast() != null) {
      put(out, "model", m.forecast().promotedModel());
      put(out, "target", m.forecast().target());
      put(out, "horizon", Integer.toString(m.forecast().horizon()));
      out.put("global", Boolean.toString(m.forecast().global()));
    }
    if (m.classification() != null) {
      put(out, "model", m.classification().model());
      put(out, "label", m.classification().labelColumn());
    }
    return out;
  }

  private static void put(Map<String, String> m, String k, String v) {
    if (v != null && !v.isBlank()) {
      m.put(k, v);
    }
  }
}
