package dev.almanac.trainer.evaluation;

import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.ml.bundle.RealizedForecasts;
import dev.almanac.ml.clean.SeriesCleaner;
import dev.almanac.ml.data.LongTableLoader;
import dev.almanac.trainer.batch.PostgresPredictionSink;
import dev.almanac.trainer.batch.PostgresTarget;
import dev.almanac.trainer.batch.PredictionSinkException;
import dev.almanac.trainer.pipeline.ForecastSettings;
import dev.almanac.trainer.pipeline.StageLog;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The realized-accuracy step of a forecast training run: when the pipeline stores its batch
 * forecasts in PostgreSQL ({@code batchPrediction.output.postgres}), the forecasts of earlier
 * versions whose days now have actuals in this run's data (after the cutoff {@code data.asOf}) are
 * scored ({@link RealizedAccuracy}). The scores become run metrics {@code
 * realized_mase.v<version>.<series>}, {@code realized_mae.…} and {@code realized_mase.v<version>}
 * (mean over series): logged to MLflow with the run and reported in the result, so they reach
 * {@code status.runs[].metrics}.
 *
 * <p>A database that cannot be read does not fail the training run (its purpose is the new
 * version): the step logs why it was skipped.
 */
public final class StoredForecastScoring {
  private StoredForecastScoring() {}

  /**
   * The metrics of the scores (empty when the pipeline has no PostgreSQL output or nothing could be
   * scored).
   */
  public static Map<String, Double> run(
      ForecastPipeline fp, ForecastSettings settings, Map<String, String> env, StageLog log) {
    return run(fp, settings, env, log, null);
  }

  /**
   * As {@link #run(ForecastPipeline, ForecastSettings, Map, StageLog)}, and writes the scored days
   * (forecast vs actual) into the new version's bundle as {@code realized_forecasts.json} for its
   * dashboard.
   *
   * @param bundleDir the bundle this run wrote; null for none
   */
  public static Map<String, Double> run(
      ForecastPipeline fp,
      ForecastSettings settings,
      Map<String, String> env,
      StageLog log,
      java.nio.file.Path bundleDir) {
    var batch = fp.getSpec().getBatchPrediction();
    var output =
        batch == null || batch.getOutput() == null ? null : batch.getOutput().getPostgres();
    if (output == null) {
      return Map.of();
    }
    try {
      var target = PostgresTarget.of(output.getJdbcUrl(), output.getTable(), env);
      var actuals = actuals(settings);
      var lastActual =
          actuals.values().stream()
              .map(NavigableMap::lastKey)
              .max(LocalDate::compareTo)
              .orElse(LocalDate.MIN);
      var stored = new PostgresPredictionSink(target).stored(settings.pipeline(), lastActual);
      var scores = RealizedAccuracy.score(stored, actuals);
      for (var s : scores) {
        log.info(
            "realized",
            String.format(
                Locale.ROOT,
                "version %s %s: %d days %s..%s, MAE %.2f, MASE %s",
                s.modelVersion(),
                s.series(),
                s.points(),
                s.firstDay(),
                s.lastDay(),
                s.mae(),
                s.mase() == null ? "n/a" : String.format(Locale.ROOT, "%.3f", s.mase())));
      }
      if (scores.isEmpty()) {
        log.info(
            "realized",
            stored.size()
                + " stored forecasts up to "
                + lastActual
                + ", none of them on a day with an actual yet");
      }
      if (bundleDir != null && !scores.isEmpty()) {
        writePoints(bundleDir, RealizedAccuracy.points(stored, actuals));
      }
      return metrics(scores);
    } catch (PredictionSinkException | IllegalArgumentException e) {
      log.info("realized", "skipped, stored forecasts not scored: " + e.getMessage());
      return Map.of();
    }
  }

  private static void writePoints(java.nio.file.Path bundleDir, RealizedForecasts points) {
    try {
      java.nio.file.Files.writeString(bundleDir.resolve(RealizedForecasts.FILE), points.toJson());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + RealizedForecasts.FILE, e);
    }
  }

  /** The versions that {@link #run} scored, from its metric names. */
  public static java.util.Set<String> versions(Map<String, Double> metrics) {
    var versions = new java.util.TreeSet<String>();
    for (var k : metrics.keySet()) {
      if (k.startsWith("realized_mase.v") && k.indexOf('.', "realized_mase.v".length()) < 0) {
        versions.add(k.substring("realized_mase.v".length()));
      }
    }
    return versions;
  }

  static Map<String, Double> metrics(List<RealizedAccuracy.Score> scores) {
    var m = new LinkedHashMap<String, Double>();
    RealizedAccuracy.meanMaseByVersion(scores)
        .forEach((v, mase) -> m.put("realized_mase.v" + v, mase));
    for (var s : scores) {
      if (s.mase() != null) {
        m.put("realized_mase.v" + s.modelVersion() + "." + s.series(), s.mase());
      }
      m.put("realized_mae.v" + s.modelVersion() + "." + s.series(), s.mae());
    }
    return m;
  }

  /**
   * This run's data per series as cleaned for training (dates completed, gaps filled, negatives 0),
   * up to the cutoff.
   */
  private static Map<String, NavigableMap<LocalDate, Double>> actuals(ForecastSettings s) {
    var table =
        new LongTableLoader(s.timeColumn(), s.seriesColumn(), s.target(), "continent")
            .load(s.data(), s.series());
    if (s.asOf() != null) {
      table = table.until(s.asOf());
    }
    var out = new HashMap<String, NavigableMap<LocalDate, Double>>();
    for (var raw : table.series().values()) {
      var clean = SeriesCleaner.regularize(raw);
      var days = new TreeMap<LocalDate, Double>();
      for (int i = 0; i < clean.size(); i++) {
        days.put(clean.start().plusDays(i), clean.values()[i]);
      }
      if (!days.isEmpty()) {
        out.put(raw.id(), days);
      }
    }
    return out;
  }
}
