package dev.almanac.trainer.pipeline;

import ai.onnx.proto.OnnxMl;
import dev.almanac.api.v1alpha1.pipeline.ModelType;
import dev.almanac.ml.bundle.MemberEntry;
import dev.almanac.ml.bundle.SeriesEntry;
import dev.almanac.ml.clean.RegularSeries;
import dev.almanac.ml.features.FeatureMatrix;
import dev.almanac.ml.features.FeaturePipeline;
import dev.almanac.ml.forecast.EtsModel;
import dev.almanac.ml.forecast.ForecastInput;
import dev.almanac.ml.forecast.NaiveForecasts;
import dev.almanac.ml.forecast.ProphetModel;
import dev.almanac.ml.forecast.RecursiveForecaster;
import dev.almanac.ml.forecast.RowPredictor;
import dev.almanac.ml.intervals.ConformalCalibration;
import dev.almanac.ml.metrics.ForecastMetrics;
import dev.almanac.trainer.models.FitOptions;
import dev.almanac.trainer.models.ModelCatalog;
import dev.almanac.trainer.models.TrainedRegressor;
import dev.almanac.trainer.onnx.OnnxEnsemble;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The forecasting pipeline for one group of series: one series (per-series models) or all of them
 * (a global model with per-series z-scores and a one-hot series id). Rolling-origin backtests
 * inside the training part (members refit at up to {@link #BACKTEST_ORIGINS} origins, each scored
 * on the next V days) choose the members and their weights ({@link BacktestSelection}) and
 * calibrate the prediction intervals, then members fit on everything before the holdout are scored
 * by recursive forecasts, then everything is refit on all data for export.
 */
final class ForecastGroup {
  static final String ENSEMBLE = "ensemble";
  static final String NAIVE_LAST = "NaiveLast";
  static final String SEASONAL_NAIVE = ModelChoice.SEASONAL_NAIVE;
  static final String ETS = ModelChoice.ETS;

  private final ForecastSettings s;
  private final List<RegularSeries> bases;
  private final List<ModelChoice> members;
  private final FeaturePipeline features;
  private final RecursiveForecaster forecaster;
  private final boolean global;
  private final long seed;
  private final int threads;
  private final double[][] extras;
  // the members fitted on everything before the holdout, kept by validate() for the validation
  // bundle (the champion model a later run scores without leakage)
  private Map<String, TrainedRegressor> holdoutModels;

  /**
   * What {@link #validate()} found.
   *
   * @param validationMae backtest MAE per member, in member order (mean over origins and series)
   * @param innerEnsembleMae backtest MAE of the chosen ensemble (mean over origins and series)
   * @param weights ensemble weights aligned with the members
   * @param outcomes holdout forecasts of every model, one per series
   * @param parityRows feature rows the ensemble's holdout recursion was predicted from (parity
   *     check input)
   * @param backtestMase mean scaled error (MAE / MASE scale at the origin) per member and of the
   *     ensemble over every backtest origin and series
   * @param origins number of backtest origins
   * @param scaledResiduals |actual − ensemble| / scale per step, one array per (origin, series):
   *     the calibration sample of the prediction intervals
   */
  record Validation(
      Map<String, Double> validationMae,
      double innerEnsembleMae,
      double[] weights,
      List<SeriesOutcome> outcomes,
      List<double[]> parityRows,
      Map<String, Double> backtestMase,
      int origins,
      List<double[]> scaledResiduals) {
    Validation {
      backtestMase = Collections.unmodifiableMap(new LinkedHashMap<>(backtestMase));
      scaledResiduals = List.copyOf(scaledResiduals);
      validationMae = Collections.unmodifiableMap(new LinkedHashMap<>(validationMae));
      weights = weights.clone();
      outcomes = List.copyOf(outcomes);
      parityRows = List.copyOf(parityRows);
    }

    /** A copy: the record stays as validated. */
    @Override
    public double[] weights() {
      return weights.clone();
    }

    double weight(int member) {
      return weights[member];
    }
  }

  /**
   * What {@link #refit} produced.
   *
   * @param onnx the weighted ML members as one ONNX graph
   * @param parityNative the native ensemble's predictions on the parity rows (float32-rounded)
   * @param parityScale Σ|w_i·member_i| per parity row: the magnitude the float32 error of the ONNX
   *     sum is relative to
   * @param entries bundle entries per series id
   */
  record Refit(
      byte[] onnx, double[] parityNative, double[] parityScale, Map<String, SeriesEntry> entries) {
    Refit {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    String onnxFile() {
      return entries.values().iterator().next().onnx();
    }
  }

  ForecastGroup(
      ForecastSettings s,
      List<RegularSeries> bases,
      FeaturePipeline features,
      List<String> allSeries,
      long seed,
      int threads) {
    this.s = s;
    this.bases = bases;
    this.members = s.models();
    this.features = features;
    this.forecaster = new RecursiveForecaster(features);
    this.global = s.global();
    this.seed = seed;
    this.threads = threads;
    this.extras = new double[bases.size()][];
    for (int i = 0; i < bases.size(); i++) {
      if (global) {
        extras[i] = new double[allSeries.size()];
        extras[i][allSeries.indexOf(bases.get(i).id())] = 1.0;
      }
    }
  }

  private List<PreparedSeries> cut(int back) {
    List<PreparedSeries> out = new ArrayList<>();
    for (int i = 0; i < bases.size(); i++) {
      RegularSeries b = bases.get(i);
      out.add(PreparedSeries.cut(b, b.size() - back, global, extras[i]));
    }
    return out;
  }

  private FeatureMatrix stack(List<PreparedSeries> preps) {
    List<double[]> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (PreparedSeries p : preps) {
      FeatureMatrix m = features.matrix(p.z(), p.start(), p.extra());
      x.addAll(Arrays.asList(m.x()));
      for (double v : m.y()) {
        y.add(v);
      }
    }
    return new FeatureMatrix(
        x.toArray(new double[0][]), y.stream().mapToDouble(Double::doubleValue).toArray(), 0);
  }

  private Map<String, TrainedRegressor> fit(FeatureMatrix m) {
    Map<String, TrainedRegressor> out = new LinkedHashMap<>();
    for (ModelChoice c : members) {
      if (!c.statistical()) {
        out.put(c.name(), fitOne(c, m));
      }
    }
    return out;
  }

  private TrainedRegressor fitOne(ModelChoice c, FeatureMatrix m) {
    try {
      return ModelCatalog.regressor(c.type(), c.params())
          .fit(
              m.x(),
              m.y(),
              new FitOptions(seed, threads, ModelCatalog.layoutParams(c.type(), features.names())));
    } catch (IllegalArgumentException e) {
      // The model trainers reject unknown or malformed params only here, at fit time.
      throw new RunFailure(ExitCode.BAD_SPEC, "spec.models " + c.name() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Σ w_i · member_i over the ML members (weights aligned with {@link #members}, statistical ones
   * skipped).
   */
  RowPredictor weighted(Map<String, TrainedRegressor> models, double[] weights) {
    return new RowPredictor() {
      @Override
      public double predict(double[] row) {
        double sum = 0;
        for (int i = 0; i < members.size(); i++) {
          TrainedRegressor m = models.get(members.get(i).name());
          if (m != null && weights[i] != 0) {
            sum += weights[i] * m.predict(row);
          }
        }
        return sum;
      }

      @Override
      public double[] predict(double[][] rows) {
        double[] sum = new double[rows.length];
        for (int i = 0; i < members.size(); i++) {
          TrainedRegressor m = models.get(members.get(i).name());
          if (m != null && weights[i] != 0) {
            double[] p = m.predict(rows);
            for (int r = 0; r < rows.length; r++) {
              sum[r] += weights[i] * p[r];
            }
          }
        }
        return sum;
      }
    };
  }

  private List<double[]> recurse(
      List<PreparedSeries> preps,
      int horizon,
      RowPredictor p,
      List<double[]> offsets,
      List<double[]> rowsOut) {
    List<ForecastInput> in = new ArrayList<>();
    for (int i = 0; i < preps.size(); i++) {
      in.add(preps.get(i).input(offsets == null ? null : offsets.get(i)));
    }
    var res = forecaster.forecastAll(in, horizon, p);
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < preps.size(); i++) {
      out.add(preps.get(i).toCases(res.get(i).values()));
      if (rowsOut != null) {
        rowsOut.addAll(Arrays.asList(res.get(i).rows()));
      }
    }
    return out;
  }

  private static double[] floorAt0(double[] v) {
    double[] o = v.clone();
    for (int i = 0; i < o.length; i++) {
      o[i] = Math.max(0, o[i]);
    }
    return o;
  }

  /**
   * Case-scale paths of the baselines (SeasonalNaive, NaiveLast and, with {@code withEts}, the
   * additive ETS) and of every statistical member, keyed by member name.
   */
  private Map<String, double[]> statisticalPaths(PreparedSeries p, int horizon, boolean withEts) {
    Map<String, double[]> m = new LinkedHashMap<>();
    m.put(SEASONAL_NAIVE, NaiveForecasts.seasonal(p.cases(), horizon));
    m.put(NAIVE_LAST, NaiveForecasts.lastValue(p.cases(), horizon));
    if (withEts) {
      m.put(ETS, floorAt0(EtsModel.fit(p.cases()).forecast(p.cases(), horizon)));
    }
    for (ModelChoice c : members) {
      if (c.type() == ModelType.SeasonalNaive) {
        m.put(c.name(), m.get(SEASONAL_NAIVE));
      } else if (c.type() == ModelType.ETS && !m.containsKey(c.name())) {
        m.put(
            c.name(), floorAt0(EtsModel.fit(p.cases(), c.etsForm()).forecast(p.cases(), horizon)));
      } else if (c.type() == ModelType.Prophet) {
        m.put(
            c.name(),
            floorAt0(
                ProphetModel.fit(p.cases(), p.start(), c.prophetOptions())
                    .forecast(p.lastDate(), horizon)));
      }
    }
    return m;
  }

  private static double mae(double[] a, double[] f) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += Math.abs(a[i] - f[i]);
    }
    return s / a.length;
  }

  /**
   * Rolling-origin backtests → member selection and weights; fit before the holdout → recursive
   * holdout forecasts of every model. The holdout picks nothing.
   */
  Validation validate() {
    int h = s.holdoutDays();
    int v = h;
    // ---- rolling-origin backtests, all inside the training part (before the holdout)
    List<Backtest> backtests = new ArrayList<>();
    for (int j = 0; j < origins(h, v); j++) {
      backtests.add(backtest(h + j * BACKTEST_STRIDE_DAYS, v));
    }
    Map<String, Double> validationMae = new LinkedHashMap<>();
    Map<String, Double> backtestMase = new LinkedHashMap<>();
    for (ModelChoice c : members) {
      validationMae.put(c.name(), meanOver(backtests, bt -> bt.mae(c.name())));
      backtestMase.put(c.name(), meanOver(backtests, bt -> bt.scaledError(c.name())));
    }
    double[] weights = BacktestSelection.choose(s.ensemble(), members, backtests);
    // The chosen ensemble's own recursive forecasts at every origin: its backtest error (compared
    // across member sets, never the holdout) and the residuals the prediction intervals are
    // calibrated from.
    List<double[]> scaledResiduals = new ArrayList<>();
    double ensMae = 0;
    double ensMase = 0;
    for (Backtest bt : backtests) {
      List<double[]> ens =
          recurse(
              bt.preps(),
              v,
              weighted(bt.models(), weights),
              offsets(bt.preps(), bt.paths(), v, weights),
              null);
      double mae = 0;
      double mase = 0;
      for (int i = 0; i < ens.size(); i++) {
        double[] a = bt.actual().get(i);
        double sc = bt.scale()[i];
        double[] r = new double[v];
        for (int d = 0; d < v; d++) {
          r[d] = Math.abs(a[d] - ens.get(i)[d]) / bt.intervalScale()[i];
        }
        scaledResiduals.add(r);
        mae += mae(a, ens.get(i));
        mase += mae(a, ens.get(i)) / sc;
      }
      ensMae += mae / ens.size();
      ensMase += mase / ens.size();
    }
    double innerEnsembleMae = ensMae / backtests.size();
    backtestMase.put(ENSEMBLE, ensMase / backtests.size());

    // ---- members fit on everything before the holdout, scored on it
    List<PreparedSeries> outer = cut(h);
    Map<String, TrainedRegressor> models = fit(stack(outer));
    holdoutModels = models;
    List<Map<String, double[]>> fcs = new ArrayList<>();
    for (int i = 0; i < outer.size(); i++) {
      fcs.add(new LinkedHashMap<>());
    }
    for (var e : models.entrySet()) {
      List<double[]> fc = recurse(outer, h, e.getValue(), null, null);
      for (int i = 0; i < outer.size(); i++) {
        fcs.get(i).put(e.getKey(), fc.get(i));
      }
    }
    List<double[]> offsets = new ArrayList<>();
    for (int i = 0; i < outer.size(); i++) {
      PreparedSeries p = outer.get(i);
      Map<String, double[]> paths = statisticalPaths(p, h, true);
      double[] off = new double[h];
      for (int k = 0; k < members.size(); k++) {
        ModelChoice c = members.get(k);
        if (c.statistical()) {
          fcs.get(i).put(c.name(), paths.get(c.name()));
          for (int d = 0; d < h; d++) {
            off[d] += weights[k] * p.scaler().forward(paths.get(c.name())[d]);
          }
        }
      }
      offsets.add(off);
      fcs.get(i).putIfAbsent(SEASONAL_NAIVE, paths.get(SEASONAL_NAIVE));
      fcs.get(i).putIfAbsent(NAIVE_LAST, paths.get(NAIVE_LAST));
      fcs.get(i).putIfAbsent(ETS, paths.get(ETS));
    }
    List<double[]> parityRows = new ArrayList<>();
    List<double[]> ens = recurse(outer, h, weighted(models, weights), offsets, parityRows);
    List<SeriesOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < outer.size(); i++) {
      fcs.get(i).put(ENSEMBLE, ens.get(i));
      RegularSeries b = bases.get(i);
      double[] train = Arrays.copyOf(b.values(), b.size() - h);
      outcomes.add(
          new SeriesOutcome(
              b.id(),
              b.date(b.size() - h),
              b.tail(h),
              fcs.get(i),
              ForecastMetrics.maseScale(train),
              outer.get(i).winsorized(),
              b.missingFilled(),
              b.negativesClipped(),
              b.datesInserted(),
              ConformalCalibration.scaleOf(outer.get(i).cases())));
    }
    return new Validation(
        validationMae,
        innerEnsembleMae,
        weights,
        outcomes,
        parityRows,
        backtestMase,
        backtests.size(),
        scaledResiduals);
  }

  /**
   * Days between two backtest origins. Fixed before any result was seen (benchmarks only may
   * override it with the system property, to show how sensitive the choice is).
   */
  static final int BACKTEST_STRIDE_DAYS = Integer.getInteger("almanac.backtest.stride", 30);

  /** Backtest origins tried (fewer when the history is short); system property as above. */
  static final int BACKTEST_ORIGINS = Integer.getInteger("almanac.backtest.origins", 3);

  /**
   * How many origins every series of the group has room for: each origin's training part keeps the
   * features' minimum history + 30 days (the same floor the single inner window had).
   */
  private int origins(int h, int v) {
    int shortest = bases.stream().mapToInt(RegularSeries::size).min().orElse(0);
    int room = shortest - h - v - features.minHistory() - 30;
    return Math.max(1, Math.min(BACKTEST_ORIGINS, 1 + Math.max(0, room) / BACKTEST_STRIDE_DAYS));
  }

  private static double meanOver(
      List<Backtest> bts, java.util.function.ToDoubleFunction<Backtest> f) {
    return bts.stream().mapToDouble(f).average().orElse(Double.NaN);
  }

  /** One backtest: members fitted on the part {@code back + v} days before the end, scored on v. */
  private Backtest backtest(int back, int v) {
    List<PreparedSeries> preps = cut(back + v);
    Map<String, TrainedRegressor> models = fit(stack(preps));
    List<Map<String, double[]>> paths = new ArrayList<>();
    for (int i = 0; i < preps.size(); i++) {
      paths.add(statisticalPaths(preps.get(i), v, false));
    }
    for (var e : models.entrySet()) {
      List<double[]> fc = recurse(preps, v, e.getValue(), null, null);
      for (int i = 0; i < preps.size(); i++) {
        paths.get(i).put(e.getKey(), fc.get(i));
      }
    }
    List<double[]> actual = new ArrayList<>();
    double[] scale = new double[preps.size()];
    double[] intervalScale = new double[preps.size()];
    for (int i = 0; i < preps.size(); i++) {
      RegularSeries b = bases.get(i);
      int start = b.size() - back - v;
      actual.add(Arrays.copyOfRange(b.values(), start, start + v));
      scale[i] = Math.max(ForecastMetrics.maseScale(Arrays.copyOf(b.values(), start)), 1e-9);
      intervalScale[i] = ConformalCalibration.scaleOf(preps.get(i).cases());
    }
    return new Backtest(preps, models, paths, actual, scale, intervalScale);
  }

  /**
   * Per series, Σ w_k · (statistical member k's path in model space): added to the ML sum at each
   * step.
   */
  private List<double[]> offsets(
      List<PreparedSeries> preps,
      List<Map<String, double[]>> paths,
      int horizon,
      double[] weights) {
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < preps.size(); i++) {
      double[] off = new double[horizon];
      for (int k = 0; k < members.size(); k++) {
        ModelChoice c = members.get(k);
        if (c.statistical()) {
          for (int d = 0; d < horizon; d++) {
            off[d] += weights[k] * preps.get(i).scaler().forward(paths.get(i).get(c.name())[d]);
          }
        }
      }
      out.add(off);
    }
    return out;
  }

  /**
   * Refit on all data, export the validated weighting of the ML members as one ONNX graph, make the
   * bundle entries.
   */
  Refit refit(String onnxPathPrefix, Validation validation) {
    List<PreparedSeries> full = cut(0);
    return export(full, fit(stack(full)), onnxPathPrefix, validation);
  }

  /**
   * The members {@link #validate()} fitted on everything before the holdout, exported like {@link
   * #refit}: the validation-window model a later run scores this version with, since it has not
   * seen that run's holdout (the refit one has).
   */
  Refit validationFit(String onnxPathPrefix, Validation validation) {
    if (holdoutModels == null) {
      throw new IllegalStateException("validate() first");
    }
    return export(cut(s.holdoutDays()), holdoutModels, onnxPathPrefix, validation);
  }

  private Refit export(
      List<PreparedSeries> full,
      Map<String, TrainedRegressor> models,
      String onnxPathPrefix,
      Validation validation) {
    double[] weights = validation.weights();
    List<double[]> parityRows = validation.parityRows();
    List<OnnxMl.ModelProto> protos = new ArrayList<>();
    List<Double> mlWeights = new ArrayList<>();
    for (int k = 0; k < members.size(); k++) {
      TrainedRegressor m = models.get(members.get(k).name());
      if (m != null) {
        protos.add(m.toOnnx(features.width()));
        mlWeights.add(weights[k]);
      }
    }
    // Statistical members only: the graph predicts 0 (the ML part of the sum is empty) and is never
    // run for a forecast.
    byte[] onnx =
        (protos.isEmpty()
                ? OnnxEnsemble.zero(features.width())
                : OnnxEnsemble.weightedSum(
                    protos, mlWeights.stream().mapToDouble(Double::doubleValue).toArray()))
            .toByteArray();
    // The ONNX graph sees float32 features: give the native models the same rounded rows, so the
    // check
    // measures the export, not float32 input rounding.
    double[][] rows = new double[parityRows.size()][];
    for (int r = 0; r < rows.length; r++) {
      rows[r] = parityRows.get(r).clone();
      for (int c = 0; c < rows[r].length; c++) {
        rows[r][c] = (float) rows[r][c];
      }
    }
    double[] parityNative = weighted(models, weights).predict(rows);
    double[] parityScale = new double[rows.length];
    for (int k = 0; k < members.size(); k++) {
      TrainedRegressor m = models.get(members.get(k).name());
      if (m != null && weights[k] != 0) {
        double[] pk = m.predict(rows);
        for (int r = 0; r < rows.length; r++) {
          parityScale[r] += Math.abs(weights[k] * pk[r]);
        }
      }
    }
    Map<String, SeriesEntry> entries = new LinkedHashMap<>();
    for (int i = 0; i < full.size(); i++) {
      PreparedSeries p = full.get(i);
      List<MemberEntry> me = new ArrayList<>();
      for (int k = 0; k < members.size(); k++) {
        ModelChoice c = members.get(k);
        EtsModel ets =
            c.type() == ModelType.ETS && weights[k] != 0
                ? EtsModel.fit(p.cases(), c.etsForm())
                : null;
        ProphetModel prophet =
            c.type() == ModelType.Prophet && weights[k] != 0
                ? ProphetModel.fit(p.cases(), p.start(), c.prophetOptions())
                : null;
        me.add(new MemberEntry(c.type().name(), weights[k], !c.statistical(), ets, prophet));
      }
      String file = global ? onnxPathPrefix : onnxPathPrefix + p.id() + ".onnx";
      entries.put(
          p.id(),
          new SeriesEntry(
              file, p.scaler(), global ? extras[i] : null, me, p.lastDate(), p.cases()));
    }
    return new Refit(onnx, parityNative, parityScale, entries);
  }

  RegularSeries base(int i) {
    return bases.get(i);
  }

  List<ModelChoice> members() {
    return members;
  }
}
