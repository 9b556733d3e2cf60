package dev.almanac.trainer.evaluation;

import dev.almanac.ml.bundle.RealizedForecasts;
import dev.almanac.ml.metrics.ForecastMetrics;
import dev.almanac.trainer.batch.PredictionRow;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Scores stored forecasts against the actuals that arrived later ("realized accuracy"): for every
 * model version and series, the forecast days that now have an actual are compared with it. MAE on
 * the case scale; MASE divides it by the lag-7 seasonal-naive error of the actuals before the
 * version's first forecast day (the in-sample scale the holdout MASE uses), so the two are
 * comparable: a realized MASE well above the holdout MASE means the model does worse on new data
 * than it did on its holdout.
 */
public final class RealizedAccuracy {
  static final int SEASON = 7;

  private RealizedAccuracy() {}

  /**
   * One version's accuracy on one series.
   *
   * @param points forecast days that have an actual
   * @param mase null when the scale is 0 or there are not more than 7 days of actuals before the
   *     first forecast day
   */
  public record Score(
      String modelVersion,
      String series,
      int points,
      LocalDate firstDay,
      LocalDate lastDay,
      double mae,
      Double mase) {}

  /**
   * @param forecasts stored forecasts (any versions, series and horizon steps); when one day was
   *     forecast twice by a version (two batch runs), the forecast with the smaller horizon step
   *     counts
   * @param actuals per series, day -> actual value (cleaned, e.g. after the data cutoff)
   * @return one score per (version, series) with at least one scored day, ordered by version then
   *     series
   */
  public static List<Score> score(
      List<PredictionRow> forecasts, Map<String, NavigableMap<LocalDate, Double>> actuals) {
    var byKey = scoredDays(forecasts, actuals);
    var scores = new ArrayList<Score>();
    for (var days : byKey.values()) {
      var first = days.firstEntry().getValue();
      var series = actuals.get(first.series());
      double[] actual = new double[days.size()];
      double[] forecast = new double[days.size()];
      int i = 0;
      for (var day : days.values()) {
        actual[i] = series.get(day.targetDate());
        forecast[i] = day.value();
        i++;
      }
      var before =
          series.headMap(days.firstKey(), false).values().stream()
              .mapToDouble(Double::doubleValue)
              .toArray();
      double scale = before.length > SEASON ? ForecastMetrics.maseScale(before, SEASON) : 0;
      var metrics = ForecastMetrics.of(actual, forecast, scale);
      scores.add(
          new Score(
              first.modelVersion(),
              first.series(),
              actual.length,
              days.firstKey(),
              days.lastKey(),
              metrics.mae(),
              metrics.mase()));
    }
    scores.sort(
        Comparator.comparing((Score s) -> versionOrder(s.modelVersion()))
            .thenComparing(Score::modelVersion)
            .thenComparing(Score::series));
    return scores;
  }

  /** Registry versions are numbers: "10" after "9". */
  private static long versionOrder(String version) {
    try {
      return Long.parseLong(version);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * The days {@link #score} scores: per version and series, each forecast day with an actual, the
   * forecast with the smaller horizon step when a day was forecast twice.
   */
  private static TreeMap<String, TreeMap<LocalDate, PredictionRow>> scoredDays(
      List<PredictionRow> forecasts, Map<String, NavigableMap<LocalDate, Double>> actuals) {
    var byKey = new TreeMap<String, TreeMap<LocalDate, PredictionRow>>();
    for (var f : forecasts) {
      var series = actuals.get(f.series());
      if (series == null || !series.containsKey(f.targetDate())) {
        continue;
      }
      byKey
          .computeIfAbsent(f.modelVersion() + "\u0000" + f.series(), k -> new TreeMap<>())
          .merge(f.targetDate(), f, (a, b) -> a.horizonStep() <= b.horizonStep() ? a : b);
    }
    return byKey;
  }

  /** The scored days as forecast vs actual per series, for the dashboard of the new version. */
  public static RealizedForecasts points(
      List<PredictionRow> forecasts, Map<String, NavigableMap<LocalDate, Double>> actuals) {
    var bySeries = new TreeMap<String, List<RealizedForecasts.Point>>();
    for (var days : scoredDays(forecasts, actuals).values()) {
      for (var day : days.values()) {
        bySeries
            .computeIfAbsent(day.series(), k -> new ArrayList<>())
            .add(
                new RealizedForecasts.Point(
                    day.modelVersion(),
                    day.targetDate(),
                    day.horizonStep(),
                    day.value(),
                    actuals.get(day.series()).get(day.targetDate())));
      }
    }
    return new RealizedForecasts(bySeries);
  }

  /** Per version, the mean realized MASE over its series that have one. */
  public static Map<String, Double> meanMaseByVersion(List<Score> scores) {
    var sums = new LinkedHashMap<String, double[]>();
    for (var s : scores) {
      if (s.mase() != null) {
        var acc = sums.computeIfAbsent(s.modelVersion(), k -> new double[2]);
        acc[0] += s.mase();
        acc[1]++;
      }
    }
    var means = new LinkedHashMap<String, Double>();
    sums.forEach((v, acc) -> means.put(v, acc[0] / acc[1]));
    return means;
  }
}
