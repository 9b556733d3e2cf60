package dev.almanac.trainer.pipeline;

import dev.almanac.ml.bundle.BundleFiles;
import dev.almanac.ml.bundle.BundleMetadata;
import dev.almanac.ml.bundle.BundleWriter;
import dev.almanac.ml.bundle.DataLineage;
import dev.almanac.ml.bundle.ForecastSection;
import dev.almanac.ml.bundle.HoldoutPrediction;
import dev.almanac.ml.bundle.ModelBundle;
import dev.almanac.ml.bundle.SeriesEntry;
import dev.almanac.ml.clean.RegularSeries;
import dev.almanac.ml.clean.SeriesCleaner;
import dev.almanac.ml.data.DataFormatException;
import dev.almanac.ml.data.LongTable;
import dev.almanac.ml.data.LongTableLoader;
import dev.almanac.ml.data.RawSeries;
import dev.almanac.ml.features.FeaturePipeline;
import dev.almanac.ml.intervals.ConformalCalibration;
import dev.almanac.ml.intervals.IntervalBands;
import dev.almanac.ml.metrics.ForecastMetrics;
import dev.almanac.ml.onnx.OnnxModel;
import dev.almanac.ml.onnx.TensorSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * One forecasting training run: load → clean → (per group: inner validation, holdout) → metrics →
 * refit → ONNX export + parity → bundle. Per-series groups run in parallel on {@code threads}
 * workers with single-threaded fits (results do not depend on scheduling); a global model is one
 * group whose fits get every thread.
 */
public final class ForecastRun {
  /** ONNX vs native relative tolerance of the parity check. */
  public static final double PARITY_TOLERANCE = 1e-4;

  private final ForecastSettings s;
  private final RunOptions o;
  private final StageLog log;

  public ForecastRun(ForecastSettings s, RunOptions o, StageLog log) {
    this.s = s;
    this.o = o;
    this.log = log;
  }

  public RunResult run() {
    if (s.global() && o.shards() > 1) {
      throw new RunFailure(
          ExitCode.BAD_SPEC, "a global model cannot be sharded (--shards " + o.shards() + ")");
    }
    LongTable table = log.stage("load", this::load);
    List<RegularSeries> bases = log.stage("clean", () -> clean(table));
    FeaturePipeline features =
        new FeaturePipeline(
            s.features(),
            s.global() ? bases.stream().map(b -> "series_" + b.id()).toList() : List.of());
    List<String> ids = bases.stream().map(RegularSeries::id).toList();
    List<ForecastGroup> groups = new ArrayList<>();
    if (s.global()) {
      groups.add(new ForecastGroup(s, bases, features, ids, o.seed(), o.threads()));
    } else {
      for (RegularSeries b : bases) {
        groups.add(new ForecastGroup(s, List.of(b), features, ids, o.seed(), 1));
      }
    }
    List<ForecastGroup.Validation> validations =
        log.stage("train+holdout", () -> parallel(groups, ForecastGroup::validate));
    Map<String, Object> metrics = log.stage("metrics", () -> metrics(groups, validations));
    ConformalCalibration intervals =
        log.stage("intervals", () -> calibrateIntervals(bases, validations, metrics));
    Double championValue =
        o.champion() == null
            ? null
            : log.stage("champion", () -> scoreChampion(groups, validations, metrics));
    String prefix = s.global() ? BundleFiles.MODEL_ONNX : BundleFiles.SERIES_DIR + "/";
    List<ForecastGroup.Refit> refits =
        log.stage(
            "refit+export",
            () ->
                parallel(
                    indexes(groups.size()), i -> groups.get(i).refit(prefix, validations.get(i))));
    List<ForecastGroup.Refit> validationFits =
        log.stage(
            "validation model",
            () ->
                parallel(
                    indexes(groups.size()),
                    i -> groups.get(i).validationFit(prefix, validations.get(i))));
    Path out = o.output();
    HeapRelease.now();
    double parity =
        log.stage(
            "bundle+parity",
            () ->
                writeBundle(
                    out, table, validations, refits, features, metrics, withIntervals(intervals)));
    double validationParity =
        log.stage(
            "validation bundle",
            () -> {
              ValidationBundle.write(out, s, o, table, validationFits, features, s.holdoutDays());
              return parallel(
                      indexes(validationFits.size()),
                      gi ->
                          parityOf(
                              validations.get(gi),
                              validationFits.get(gi),
                              ValidationBundle.dir(out)))
                  .stream()
                  .mapToDouble(Double::doubleValue)
                  .max()
                  .orElse(0);
            });
    parity = Math.max(parity, validationParity);
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Double>> overall =
        (Map<String, Map<String, Double>>) metrics.get("overall");
    ForecastVerdict verdict = ForecastVerdict.of(s, overall, championValue, parity);
    double value = verdict.value();
    String msg =
        !verdict.parityOk()
            ? String.format(
                "ONNX parity failed: max relative difference %.3g > %.0e", parity, PARITY_TOLERANCE)
            : Boolean.FALSE.equals(verdict.gate())
                ? String.format(
                    "gate failed: %s %.4f vs threshold %s", s.metric(), value, s.threshold())
                : !verdict.championGate()
                    ? String.format(
                        verdict.tie()
                            ? "gate failed: %s %.4f ties the production version's %.4f on the same holdout (mustBeatProduction keeps production on a tie)"
                            : "gate failed: %s %.4f does not beat the production version's %.4f on the same holdout",
                        s.metric(),
                        value,
                        championValue)
                    : String.format(
                        "trained %d series; ensemble %s %.4f", bases.size(), s.metric(), value);
    log.info("result", msg);
    return verdict.result(s, o, out, table.sha256(), bases.size(), log.seconds(), msg);
  }

  /** Max relative difference ONNX vs native over the group's holdout feature rows. */
  static double parityOf(ForecastGroup.Validation v, ForecastGroup.Refit g, Path out) {
    double worst = 0;
    try (OnnxModel m = OnnxModel.load(out.resolve(g.onnxFile()))) {
      float[][] rows = new float[v.parityRows().size()][];
      for (int r = 0; r < rows.length; r++) {
        double[] row = v.parityRows().get(r);
        rows[r] = new float[row.length];
        for (int c = 0; c < row.length; c++) {
          rows[r][c] = (float) row[c];
        }
      }
      double[] onnx = m.predict(rows);
      for (int r = 0; r < rows.length; r++) {
        double rel =
            Math.abs(onnx[r] - g.parityNative()[r])
                / Math.max(1.0, Math.max(Math.abs(g.parityNative()[r]), g.parityScale()[r]));
        worst = Math.max(worst, rel);
      }
    }
    return worst;
  }

  /** Neighbouring horizon steps pooled on each side when calibrating a step's interval. */
  static final int INTERVAL_STEP_RADIUS = 3;

  /**
   * Conformal widths from every group's backtest residuals, pooled over series (scaled by each
   * series' MASE scale); the holdout's empirical coverage of the promoted forecast is recorded in
   * {@code metrics} ({@code overall.ensemble.coverage_80} …, logged to MLflow) and never feeds
   * back.
   */
  private ConformalCalibration calibrateIntervals(
      List<RegularSeries> bases,
      List<ForecastGroup.Validation> validations,
      Map<String, Object> metrics) {
    List<double[]> residuals = new ArrayList<>();
    int origins = 0;
    for (ForecastGroup.Validation v : validations) {
      residuals.addAll(v.scaledResiduals());
      origins = Math.max(origins, v.origins());
    }
    int steps = Math.max(s.holdoutDays(), s.horizon());
    ConformalCalibration c =
        ConformalCalibration.fit(
            residuals, steps, INTERVAL_STEP_RADIUS, ConformalCalibration.LEVELS);
    List<double[]> actuals = new ArrayList<>();
    List<double[]> forecasts = new ArrayList<>();
    List<IntervalBands> bands = new ArrayList<>();
    for (ForecastGroup.Validation v : validations) {
      for (SeriesOutcome so : v.outcomes()) {
        actuals.add(so.actual());
        forecasts.add(so.forecasts().get(ForecastGroup.ENSEMBLE));
        bands.add(c.bands(so.intervalScale()));
      }
    }
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Double>> overall =
        (Map<String, Map<String, Double>>) metrics.get("overall");
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("method", ConformalCalibration.METHOD);
    info.put("backtestOrigins", origins);
    info.put("backtestStrideDays", ForecastGroup.BACKTEST_STRIDE_DAYS);
    info.put("calibrationWindows", residuals.size());
    info.put("stepRadius", INTERVAL_STEP_RADIUS);
    for (int l = 0; l < c.levels().length; l++) {
      double cov = ConformalCalibration.coverage(actuals, forecasts, bands, l);
      String key = "coverage_" + IntervalBands.label(c.levels()[l]);
      overall.get(ForecastGroup.ENSEMBLE).put(key, cov);
      info.put(key, cov);
      log.info(
          "intervals",
          String.format(
              "holdout coverage of the %s%% interval: %.1f%% (%d series x %d days)",
              IntervalBands.label(c.levels()[l]), 100 * cov, actuals.size(), s.holdoutDays()));
    }
    metrics.put("intervals", info);
    return c;
  }

  /** The entry with bands scaled by its series' recent variability at the end of its history. */
  private static java.util.function.BiFunction<String, SeriesEntry, SeriesEntry> withIntervals(
      ConformalCalibration c) {
    return (id, e) -> e.withIntervals(c.bands(ConformalCalibration.scaleOf(e.history())));
  }

  static String metricKey(String metric) {
    return "mean_" + metric.toLowerCase(java.util.Locale.ROOT);
  }

  private LongTable load() {
    try {
      LongTable t =
          new LongTableLoader(s.timeColumn(), s.seriesColumn(), s.target(), "continent")
              .load(s.data(), s.series());
      log.info("load", t.series().size() + " series, " + t.rows() + " rows, sha256 " + t.sha256());
      if (s.asOf() == null) {
        return t;
      }
      // everything below (cleaning, holdout, champion scoring, the bundle's history) sees only this
      LongTable cut = t.until(s.asOf());
      log.info(
          "load",
          "data.asOf "
              + s.asOf()
              + ": "
              + (t.rows() - cut.rows())
              + " later rows ignored, "
              + cut.rows()
              + " rows left");
      var emptied =
          s.series().stream()
              .filter(id -> t.series().containsKey(id) && !cut.series().containsKey(id))
              .toList();
      if (!emptied.isEmpty() || cut.series().isEmpty()) {
        throw new RunFailure(
            ExitCode.DATA_ERROR,
            "spec.data.asOf "
                + s.asOf()
                + " is before the first row of "
                + (emptied.isEmpty() ? "every series" : "series " + emptied));
      }
      return cut;
    } catch (DataFormatException e) {
      throw new RunFailure(ExitCode.DATA_ERROR, e.getMessage(), e);
    }
  }

  private List<RegularSeries> clean(LongTable t) {
    int need = 2 * s.holdoutDays() + new FeaturePipeline(s.features()).minHistory() + 30;
    List<String> ids = new ArrayList<>(t.series().keySet());
    List<RegularSeries> out = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      if (i % o.shards() != o.shard()) {
        continue;
      }
      RawSeries raw = t.series().get(ids.get(i));
      RegularSeries r = SeriesCleaner.regularize(raw);
      if (r.size() < need) {
        String m =
            "series "
                + r.id()
                + " has "
                + r.size()
                + " days; holdout "
                + s.holdoutDays()
                + " + inner validation "
                + s.holdoutDays()
                + " + features need "
                + need;
        if (!s.series().isEmpty()) {
          throw new RunFailure(ExitCode.DATA_ERROR, m);
        }
        log.info("clean", "skipped: " + m);
        continue;
      }
      out.add(r);
    }
    if (out.isEmpty()) {
      throw new RunFailure(ExitCode.DATA_ERROR, "no series left to train on in " + s.data());
    }
    return out;
  }

  private static List<Integer> indexes(int n) {
    return java.util.stream.IntStream.range(0, n).boxed().toList();
  }

  /**
   * {@code body} of every item, in the items' order; items run in parallel on up to {@code threads}
   * workers.
   */
  private <T, R> List<R> parallel(List<T> items, Function<T, R> body) {
    if (items.size() == 1 || o.threads() == 1) {
      return items.stream().map(body).toList();
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(o.threads(), items.size()));
    try {
      List<Future<R>> fs = new ArrayList<>();
      for (T item : items) {
        fs.add(pool.submit(() -> body.apply(item)));
      }
      List<R> out = new ArrayList<>(fs.size());
      for (Future<R> f : fs) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private Map<String, Object> metrics(
      List<ForecastGroup> groups, List<ForecastGroup.Validation> validations) {
    Map<String, Map<String, ForecastMetrics>> perSeries = new LinkedHashMap<>();
    Map<String, Object> weights = new LinkedHashMap<>();
    Map<String, Object> valMae = new LinkedHashMap<>();
    Map<String, Object> backtest = new LinkedHashMap<>();
    Map<String, Object> cleaning = new LinkedHashMap<>();
    for (int gi = 0; gi < groups.size(); gi++) {
      ForecastGroup g = groups.get(gi);
      ForecastGroup.Validation v = validations.get(gi);
      Map<String, Double> w = new LinkedHashMap<>();
      for (int k = 0; k < g.members().size(); k++) {
        w.put(g.members().get(k).name(), v.weight(k));
      }
      String key = s.global() ? "global" : v.outcomes().get(0).id();
      weights.put(key, w);
      Map<String, Double> vm = new LinkedHashMap<>(v.validationMae());
      vm.put(ForecastGroup.ENSEMBLE, v.innerEnsembleMae());
      valMae.put(key, vm);
      backtest.put(key, v.backtestMase());
      for (SeriesOutcome so : v.outcomes()) {
        Map<String, ForecastMetrics> m = new LinkedHashMap<>();
        so.forecasts()
            .forEach(
                (model, fc) -> m.put(model, ForecastMetrics.of(so.actual(), fc, so.maseScale())));
        perSeries.put(so.id(), m);
        cleaning.put(
            so.id(),
            Map.of(
                "holdoutStart",
                so.holdoutStart().toString(),
                "maseScale",
                so.maseScale(),
                "winsorizedTrainPoints",
                so.winsorizedTrainPoints(),
                "missingFilled",
                so.missingFilled(),
                "negativesClipped",
                so.negativesClipped(),
                "datesInserted",
                so.datesInserted()));
      }
    }
    Map<String, Map<String, Double>> overall = overall(perSeries);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("promoted", ForecastGroup.ENSEMBLE);
    out.put("ensembleMethod", s.ensemble().name());
    out.put("holdoutDays", s.holdoutDays());
    out.put("overall", overall);
    out.put("perSeries", perSeries);
    out.put("weights", weights);
    out.put("validationMae", valMae);
    // mean scaled error (MASE at each origin) over the rolling-origin backtests: what chose weights
    out.put("backtestMase", backtest);
    out.put("cleaning", cleaning);
    for (var e : overall.entrySet()) {
      log.info(
          "metrics",
          String.format(
              "%-14s mean MASE %.3f  median %.3f  mean sMAPE %.1f  mean MAE %.0f",
              e.getKey(),
              e.getValue().get("mean_mase"),
              e.getValue().get("median_mase"),
              e.getValue().get("mean_smape"),
              e.getValue().get("mean_mae")));
    }
    return out;
  }

  /**
   * Per model, the mean (and median MASE) of the per-series holdout metrics: what the gate reads.
   * Shared with {@link ShardMerge}, which recomputes it over every shard's series.
   */
  static Map<String, Map<String, Double>> overall(
      Map<String, Map<String, ForecastMetrics>> perSeries) {
    Map<String, Map<String, Double>> overall = new LinkedHashMap<>();
    List<String> models = new ArrayList<>(perSeries.values().iterator().next().keySet());
    for (String model : models) {
      List<ForecastMetrics> rows = perSeries.values().stream().map(m -> m.get(model)).toList();
      Map<String, Double> agg = new LinkedHashMap<>();
      agg.put(
          "mean_mae", rows.stream().mapToDouble(ForecastMetrics::mae).average().orElse(Double.NaN));
      agg.put(
          "mean_rmse",
          rows.stream().mapToDouble(ForecastMetrics::rmse).average().orElse(Double.NaN));
      agg.put(
          "mean_mape",
          rows.stream()
              .filter(r -> r.mape() != null)
              .mapToDouble(ForecastMetrics::mape)
              .average()
              .orElse(Double.NaN));
      agg.put(
          "mean_smape",
          rows.stream().mapToDouble(ForecastMetrics::smape).average().orElse(Double.NaN));
      double[] mase =
          rows.stream()
              .filter(r -> r.mase() != null)
              .mapToDouble(ForecastMetrics::mase)
              .sorted()
              .toArray();
      agg.put("mean_mase", Arrays.stream(mase).average().orElse(Double.NaN));
      agg.put(
          "median_mase",
          mase.length == 0
              ? Double.NaN
              : mase.length % 2 == 1
                  ? mase[mase.length / 2]
                  : (mase[mase.length / 2 - 1] + mase[mase.length / 2]) / 2);
      long beats =
          perSeries.values().stream()
              .filter(
                  m ->
                      m.get(model).mase() != null
                          && m.get(model).mase() < m.get(ForecastGroup.SEASONAL_NAIVE).mase())
              .count();
      agg.put("series_beating_seasonal_naive_mase", (double) beats);
      overall.put(model, agg);
    }
    return overall;
  }

  /**
   * Champion/challenger on the same holdout: the production bundle's validation model (fitted
   * before its own holdout, {@link ValidationBundle}) forecasts each of this run's series from the
   * same training history (its own cleaning, features and ONNX graph), scored like the challenger.
   * Series the champion does not know, or whose validation model saw days of this holdout, are left
   * out of its mean; null when none is left. The refit model is used only for bundles without a
   * validation model.
   */
  private Double scoreChampion(
      List<ForecastGroup> groups,
      List<ForecastGroup.Validation> validations,
      Map<String, Object> metrics) {
    Map<String, ForecastMetrics> per = new LinkedHashMap<>();
    List<String> seen = new ArrayList<>();
    Path championModel = ValidationBundle.championModel(o.champion());
    boolean fair = !championModel.equals(o.champion());
    if (!fair) {
      log.info(
          "champion",
          "the production bundle has no validation model (written before they existed): scored"
              + " with its refit model, which may have seen this holdout");
    }
    try (ModelBundle champion = ModelBundle.load(championModel)) {
      if (!BundleMetadata.FORECAST.equals(champion.task())) {
        throw new RunFailure(
            ExitCode.BAD_SPEC,
            "--champion " + o.champion() + " is a " + champion.task() + " bundle");
      }
      for (int gi = 0; gi < groups.size(); gi++) {
        ForecastGroup g = groups.get(gi);
        List<SeriesOutcome> outcomes = validations.get(gi).outcomes();
        for (int i = 0; i < outcomes.size(); i++) {
          SeriesOutcome so = outcomes.get(i);
          if (!champion.series().contains(so.id())) {
            continue;
          }
          if (fair && !ValidationBundle.unseen(champion, so.id(), so.holdoutStart())) {
            seen.add(so.id()); // its validation model was fitted on part of this holdout
            continue;
          }
          RegularSeries base = g.base(i);
          int n = base.size() - so.actual().length;
          List<LocalDate> dates = new ArrayList<>(n);
          for (int d = 0; d < n; d++) {
            dates.add(base.date(d));
          }
          RawSeries history = new RawSeries(so.id(), dates, Arrays.copyOf(base.values(), n));
          double[] fc = champion.forecast(so.id(), so.actual().length, history).values();
          per.put(so.id(), ForecastMetrics.of(so.actual(), fc, so.maseScale()));
        }
      }
      if (!seen.isEmpty()) {
        log.info(
            "champion",
            "left out series "
                + seen
                + ": the champion's validation model was fitted on days of this holdout");
      }
      if (per.isEmpty() && !seen.isEmpty()) {
        log.info("champion", "not scored: no series left that it has not seen");
        return null;
      }
      if (per.isEmpty()) {
        throw new RunFailure(
            ExitCode.DATA_ERROR, "--champion " + o.champion() + " knows none of this run's series");
      }
      double value =
          per.values().stream().mapToDouble(m -> m.get(s.metric())).average().orElse(Double.NaN);
      metrics.put(
          "champion",
          Map.of(
              "bundle",
              o.champion().toString(),
              "name",
              String.valueOf(champion.name()),
              "version",
              String.valueOf(champion.version()),
              "model",
              fair ? "validation" : "refit",
              metricKey(s.metric()),
              value,
              "perSeries",
              per));
      log.info(
          "champion",
          String.format(
              "champion %s %s %s %.4f on %d series",
              champion.name(), champion.version(), s.metric(), value, per.size()));
      return value;
    } catch (IllegalArgumentException e) {
      throw new RunFailure(ExitCode.BAD_SPEC, "--champion: " + e.getMessage(), e);
    }
  }

  /**
   * Writes the bundle, then re-loads each written ONNX graph and compares it with the native
   * ensemble.
   */
  private double writeBundle(
      Path out,
      LongTable table,
      List<ForecastGroup.Validation> validations,
      List<ForecastGroup.Refit> refits,
      FeaturePipeline features,
      Map<String, Object> metrics,
      java.util.function.BiFunction<String, SeriesEntry, SeriesEntry> bands) {
    BundleWriter w = new BundleWriter(out);
    Map<String, SeriesEntry> entries = new LinkedHashMap<>();
    List<HoldoutPrediction> holdout = new ArrayList<>();
    for (int gi = 0; gi < refits.size(); gi++) {
      ForecastGroup.Refit g = refits.get(gi);
      g.entries().forEach((id, e) -> entries.put(id, bands.apply(id, e)));
      w.onnx(g.onnxFile(), g.onnx());
      for (SeriesOutcome so : validations.get(gi).outcomes()) {
        for (var e : so.forecasts().entrySet()) {
          for (int d = 0; d < so.actual().length; d++) {
            holdout.add(
                new HoldoutPrediction(
                    so.id(),
                    so.holdoutStart().plusDays(d),
                    e.getKey(),
                    so.actual()[d],
                    e.getValue()[d]));
          }
        }
      }
    }
    ForecastSection section = section(s, features, entries);
    BundleMetadata meta = metadata(s, o, table, section);
    long f = features.width();
    w.metadata(meta)
        .metrics(metrics)
        .holdout(holdout)
        .signature(
            List.of(new TensorSpec("features", "float32", List.of(-1L, f))),
            List.of(new TensorSpec("prediction", "float32", List.of(-1L, 1L))))
        .write();
    // Groups are independent: check their graphs in parallel (an ONNX Runtime session takes
    // ~0.1-0.2 s to build).
    double worst =
        parallel(indexes(refits.size()), gi -> parityOf(validations.get(gi), refits.get(gi), out))
            .stream()
            .mapToDouble(Double::doubleValue)
            .max()
            .orElse(0);
    int rows = validations.stream().mapToInt(v -> v.parityRows().size()).sum();
    metrics.put(
        "parity",
        Map.of("maxRelativeDifference", worst, "tolerance", PARITY_TOLERANCE, "rows", rows));
    try {
      Files.writeString(
          out.resolve(BundleFiles.METRICS),
          dev.almanac.ml.bundle.BundleJson.mapper().writeValueAsString(metrics));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    log.info(
        "parity",
        String.format("max relative difference ONNX vs native %.3g over %d rows", worst, rows));
    return worst;
  }

  /** The bundle's forecast section: the spec's columns and horizon, the ensemble promoted. */
  static ForecastSection section(
      ForecastSettings s, FeaturePipeline features, Map<String, SeriesEntry> entries) {
    return new ForecastSection(
        s.timeColumn(),
        s.seriesColumn(),
        s.target(),
        s.features(),
        features.names(),
        s.global(),
        s.horizon(),
        ForecastGroup.ENSEMBLE,
        entries);
  }

  /** A forecast bundle's metadata: this run, its data's lineage and the forecast section. */
  static BundleMetadata metadata(
      ForecastSettings s, RunOptions o, LongTable table, ForecastSection section) {
    return new BundleMetadata(
        BundleMetadata.formatVersionFor(section),
        BundleMetadata.FORECAST,
        s.registeredModel(),
        o.runId(),
        Instant.now().toString(),
        s.pipeline(),
        o.runId(),
        new DataLineage(table.source(), table.sha256(), table.rows()),
        section,
        null);
  }
}
