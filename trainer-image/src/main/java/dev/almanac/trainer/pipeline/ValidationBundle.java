package dev.almanac.trainer.pipeline;

import dev.almanac.ml.bundle.BundleFiles;
import dev.almanac.ml.bundle.BundleWriter;
import dev.almanac.ml.bundle.ForecastSection;
import dev.almanac.ml.bundle.ModelBundle;
import dev.almanac.ml.bundle.SeriesEntry;
import dev.almanac.ml.data.LongTable;
import dev.almanac.ml.features.FeaturePipeline;
import dev.almanac.ml.onnx.TensorSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validation-window model of a forecast bundle: the members fitted on everything before the
 * holdout (weights from the inner window), written as a complete bundle under {@code validation/}
 * next to the refit one. A later run scores the champion with it, because the refit model has seen
 * that run's holdout and would be favoured (docs/model-bundle.md, "validation/").
 */
final class ValidationBundle {
  private ValidationBundle() {}

  /** {@code <bundle>/validation}. */
  static Path dir(Path bundle) {
    return bundle.resolve(BundleFiles.VALIDATION_DIR);
  }

  /**
   * The champion model to score: its validation bundle when it has one, else the bundle itself
   * (versions written before validation bundles existed).
   */
  static Path championModel(Path champion) {
    Path v = dir(champion);
    return Files.isRegularFile(v.resolve(BundleFiles.METADATA)) ? v : champion;
  }

  /** Writes the validation bundle; its graphs' parity is checked with the main bundle's. */
  static void write(
      Path bundle,
      ForecastSettings s,
      RunOptions o,
      LongTable table,
      List<ForecastGroup.Refit> fits,
      FeaturePipeline features,
      int holdoutDays) {
    BundleWriter w = new BundleWriter(dir(bundle));
    Map<String, SeriesEntry> entries = new LinkedHashMap<>();
    for (ForecastGroup.Refit g : fits) {
      entries.putAll(g.entries());
      w.onnx(g.onnxFile(), g.onnx());
    }
    ForecastSection section = ForecastRun.section(s, features, entries);
    w.metadata(ForecastRun.metadata(s, o, table, section))
        .metrics(
            Map.of("window", "fitted on everything before the holdout", "holdoutDays", holdoutDays))
        .signature(
            List.of(new TensorSpec("features", "float32", List.of(-1L, (long) features.width()))),
            List.of(new TensorSpec("prediction", "float32", List.of(-1L, 1L))))
        .write();
  }

  /**
   * Whether {@code series} of a champion model was fitted only on days before {@code holdoutStart}:
   * otherwise scoring it there would reward what it has already seen.
   */
  static boolean unseen(
      ModelBundle championModel, String series, java.time.LocalDate holdoutStart) {
    if (!championModel.series().contains(series)) {
      return false;
    }
    List<java.time.LocalDate> dates = championModel.history(series).dates();
    return dates.get(dates.size() - 1).isBefore(holdoutStart);
  }
}
