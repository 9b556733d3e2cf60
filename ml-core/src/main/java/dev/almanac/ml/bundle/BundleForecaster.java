package dev.almanac.ml.bundle;

import dev.almanac.ml.clean.HampelWinsorizer;
import dev.almanac.ml.clean.RegularSeries;
import dev.almanac.ml.clean.SeriesCleaner;
import dev.almanac.ml.clean.SeriesScaler;
import dev.almanac.ml.data.RawSeries;
import dev.almanac.ml.features.FeaturePipeline;
import dev.almanac.ml.forecast.ForecastInput;
import dev.almanac.ml.forecast.NaiveForecasts;
import dev.almanac.ml.forecast.RecursiveForecaster;
import dev.almanac.ml.forecast.RowPredictor;
import dev.almanac.ml.onnx.OnnxModel;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Serves forecasts from a bundle exactly as the trainer validated them: the same cleaning, the same
 * {@link FeaturePipeline}, the same {@link RecursiveForecaster}; the ONNX graph gives the weighted
 * sum of the ML members and the statistical members (seasonal naive, ETS) are added per step.
 */
public final class BundleForecaster {
  private final ForecastSection section;
  private final FeaturePipeline features;
  private final RecursiveForecaster forecaster;
  private final Function<String, OnnxModel> onnxByFile;
  private final Map<String, double[]> rewinsorized = new ConcurrentHashMap<>();

  /**
   * @param onnxByFile opens (or returns the cached) ONNX model of a bundle-relative file name
   */
  public BundleForecaster(ForecastSection section, Function<String, OnnxModel> onnxByFile) {
    this.section = section;
    int extra = section.featureNames().size() - new FeaturePipeline(section.features()).width();
    this.features =
        new FeaturePipeline(
            section.features(),
            section
                .featureNames()
                .subList(section.featureNames().size() - extra, section.featureNames().size()));
    this.forecaster = new RecursiveForecaster(features);
    this.onnxByFile = onnxByFile;
  }

  public List<String> series() {
    return List.copyOf(section.series().keySet());
  }

  public Forecast forecast(String series, int horizon) {
    return forecast(series, horizon, null);
  }

  /**
   * @param history replacement history (dates + raw values, gaps/NaN/negatives allowed) or null for
   *     the history stored in the bundle; it is cleaned like the training data
   * @throws IllegalArgumentException for an unknown series, a horizon below 1 or a too-short
   *     history
   */
  public Forecast forecast(String series, int horizon, RawSeries history) {
    SeriesEntry e = section.series().get(series);
    if (e == null) {
      throw new IllegalArgumentException(
          "unknown series '" + series + "', known: " + section.series().keySet());
    }
    if (horizon < 1) {
      throw new IllegalArgumentException("horizon must be >= 1, got " + horizon);
    }
    double[] hist;
    LocalDate last;
    if (history == null) {
      hist = e.history();
      last = e.lastDate();
    } else {
      RegularSeries reg = SeriesCleaner.regularize(history);
      hist = HampelWinsorizer.winsorizeUpper(reg.values()).values();
      last = reg.lastDate();
    }
    return forecastFrom(series, e, hist, last, horizon);
  }

  /**
   * The same forecast as {@link #forecast(String, int, RawSeries)} given the stored history with
   * its newest {@code recent.length} days replaced by {@code recent} (raw values ending on the
   * stored last date; NaN = missing, negatives allowed), or {@code recent} alone when it is at
   * least as long as the stored history. Only the days the new values can change are cleaned again:
   * the winsorised stored prefix is computed once per series (a server request sends a few weeks,
   * the bundle stores over a year).
   *
   * @throws IllegalArgumentException for an unknown series, a horizon below 1 or a too-short
   *     history
   */
  public Forecast forecastWithRecent(String series, int horizon, double[] recent) {
    return forecastAll(List.of(new Request(series, horizon, recent))).get(0);
  }

  /**
   * One forecast request: {@code recent} as in {@link #forecastWithRecent}, or null for the stored
   * history.
   */
  public record Request(String series, int horizon, double[] recent) {}

  /**
   * The forecasts of several requests, each equal to its own {@link #forecastWithRecent}; requests
   * on the same ONNX model with the same horizon share one model call per step (the server batches
   * concurrent requests this way: one call of n rows costs far less than n calls of one row).
   *
   * @throws IllegalArgumentException naming the first request with an unknown series, a horizon
   *     below 1 or a too-short history
   */
  public List<Forecast> forecastAll(List<Request> requests) {
    List<Prepared> prepared = new ArrayList<>(requests.size());
    for (Request r : requests) {
      SeriesEntry e = section.series().get(r.series());
      if (e == null) {
        throw new IllegalArgumentException(
            "unknown series '" + r.series() + "', known: " + section.series().keySet());
      }
      if (r.horizon() < 1) {
        throw new IllegalArgumentException("horizon must be >= 1, got " + r.horizon());
      }
      double[] hist =
          r.recent() == null ? e.history() : mergeRecent(r.series(), e.history(), r.recent());
      prepared.add(prepare(r.series(), e, hist, e.lastDate(), r.horizon()));
    }
    Map<List<Object>, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < prepared.size(); i++) {
      Prepared p = prepared.get(i);
      groups
          .computeIfAbsent(
              List.of(p.onnxFile() == null ? "" : p.onnxFile(), p.horizon()),
              k -> new ArrayList<>())
          .add(i);
    }
    double[][] z = new double[prepared.size()][];
    for (List<Integer> group : groups.values()) {
      Prepared first = prepared.get(group.get(0));
      List<ForecastInput> inputs = new ArrayList<>(group.size());
      group.forEach(i -> inputs.add(prepared.get(i).input()));
      List<RecursiveForecaster.Result> out =
          forecaster.forecastAll(inputs, first.horizon(), predictor(first.onnxFile()));
      for (int k = 0; k < group.size(); k++) {
        z[group.get(k)] = out.get(k).values();
      }
    }
    List<Forecast> forecasts = new ArrayList<>(prepared.size());
    for (int i = 0; i < prepared.size(); i++) {
      forecasts.add(finish(prepared.get(i), z[i]));
    }
    return forecasts;
  }

  /**
   * The stored history with its newest {@code recent.length} days replaced, cleaned again only
   * where the new values can change it (see {@link #forecastWithRecent}).
   */
  private double[] mergeRecent(String series, double[] stored, double[] recent) {
    int n = Math.max(stored.length, recent.length);
    int from = n - recent.length;
    // SeriesCleaner.regularize on consecutive dates: forward-fill gaps (0 before the first value),
    // clip
    // negatives; the stored values are already clean, so only the new ones can change
    double[] merged = new double[n];
    System.arraycopy(stored, 0, merged, 0, from);
    double prev = from == 0 ? 0.0 : merged[from - 1];
    for (int i = 0; i < recent.length; i++) {
      double v = recent[i];
      v = Double.isNaN(v) ? prev : Math.max(0.0, v);
      merged[from + i] = v;
      prev = v;
    }
    // Hampel at t reads t-7..t+7: days before from-7 see stored values only
    int lo = Math.max(0, from - HampelWinsorizer.HALF_WINDOW);
    int start = Math.max(0, lo - HampelWinsorizer.HALF_WINDOW);
    double[] hist = new double[n];
    if (lo > 0) {
      System.arraycopy(rewinsorizedStored(series, stored), 0, hist, 0, lo);
    }
    double[] tail = HampelWinsorizer.winsorizeUpper(Arrays.copyOfRange(merged, start, n)).values();
    System.arraycopy(tail, lo - start, hist, lo, n - lo);
    return hist;
  }

  /**
   * The stored (clean) history winsorised once more, as {@link #forecast(String, int, RawSeries)}
   * does to a merged history.
   */
  private double[] rewinsorizedStored(String series, double[] stored) {
    return rewinsorized.computeIfAbsent(
        series, s -> HampelWinsorizer.winsorizeUpper(stored).values());
  }

  /**
   * A request ready for the recursion: its model-space input and the ONNX file of its ML members
   * (null: none).
   */
  private record Prepared(
      String series,
      SeriesEntry entry,
      LocalDate last,
      int horizon,
      ForecastInput input,
      String onnxFile) {}

  private Forecast forecastFrom(
      String series, SeriesEntry e, double[] hist, LocalDate last, int horizon) {
    Prepared p = prepare(series, e, hist, last, horizon);
    return finish(
        p,
        forecaster
            .forecastAll(List.of(p.input()), horizon, predictor(p.onnxFile()))
            .get(0)
            .values());
  }

  private Prepared prepare(
      String series, SeriesEntry e, double[] hist, LocalDate last, int horizon) {
    if (hist.length < features.minHistory()) {
      throw new IllegalArgumentException(
          "history of "
              + series
              + " has "
              + hist.length
              + " days, at least "
              + features.minHistory()
              + " are needed");
    }
    SeriesScaler sc = e.scaler();
    double[] offsets = new double[horizon];
    double mlWeight = 0;
    for (MemberEntry m : e.members()) {
      if (m.inOnnx()) {
        mlWeight += m.weight();
        continue;
      }
      if (m.weight() == 0) {
        continue;
      }
      double[] path = statisticalPath(m, hist, last, horizon);
      for (int h = 0; h < horizon; h++) {
        offsets[h] += m.weight() * sc.forward(path[h]);
      }
    }
    ForecastInput input =
        new ForecastInput(sc.forward(hist), last, e.extra(), sc.forward(0.0), offsets);
    return new Prepared(series, e, last, horizon, input, mlWeight == 0 ? null : e.onnx());
  }

  private RowPredictor predictor(String onnxFile) {
    return onnxFile == null ? row -> 0.0 : onnxPredictor(onnxByFile.apply(onnxFile));
  }

  private static Forecast finish(Prepared p, double[] z) {
    SeriesScaler sc = p.entry().scaler();
    double[] values = new double[p.horizon()];
    List<LocalDate> dates = new ArrayList<>(p.horizon());
    for (int h = 0; h < p.horizon(); h++) {
      values[h] = Math.max(0.0, sc.inverse(z[h]));
      dates.add(p.last().plusDays(h + 1L));
    }
    return new Forecast(p.series(), dates, values);
  }

  /**
   * Case-scale forecast path of a non-ONNX member from a case-scale history (members that need no
   * dates).
   */
  public static double[] statisticalPath(MemberEntry m, double[] history, int horizon) {
    return statisticalPath(m, history, null, horizon);
  }

  /**
   * Case-scale forecast path of a non-ONNX member from a case-scale history ending on {@code
   * lastDate}. Prophet is a function of the date (its fit is not redone on a replacement history).
   */
  public static double[] statisticalPath(
      MemberEntry m, double[] history, LocalDate lastDate, int horizon) {
    double[] path =
        switch (m.type()) {
          case MemberEntry.SEASONAL_NAIVE -> NaiveForecasts.seasonal(history, horizon);
          case MemberEntry.NAIVE_LAST -> NaiveForecasts.lastValue(history, horizon);
          case MemberEntry.ETS -> m.ets().forecast(history, horizon);
          case MemberEntry.PROPHET -> {
            if (m.prophet() == null || lastDate == null) {
              throw new IllegalStateException(
                  "Prophet member needs its fitted parameters and the history's last date");
            }
            yield m.prophet().forecast(lastDate, horizon);
          }
          default ->
              throw new IllegalStateException(
                  "member " + m.type() + " is neither in the ONNX graph nor statistical");
        };
    for (int h = 0; h < horizon; h++) {
      path[h] = Math.max(0.0, path[h]);
    }
    return path;
  }

  static RowPredictor onnxPredictor(OnnxModel model) {
    return new RowPredictor() {
      @Override
      public double predict(double[] row) {
        return model.predict(toFloat(row));
      }

      @Override
      public double[] predict(double[][] rows) {
        float[][] f = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
          f[i] = toFloat(rows[i]);
        }
        return model.predict(f);
      }
    };
  }

  static float[] toFloat(double[] row) {
    float[] f = new float[row.length];
    for (int i = 0; i < row.length; i++) {
      f[i] = (float) row[i];
    }
    return f;
  }

  Map<String, SeriesEntry> entries() {
    return section.series();
  }
}
