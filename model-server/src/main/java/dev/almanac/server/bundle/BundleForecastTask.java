package dev.almanac.server.bundle;

import dev.almanac.ml.bundle.BundleForecaster;
import dev.almanac.ml.bundle.ForecastSection;
import dev.almanac.ml.bundle.HoldoutPrediction;
import dev.almanac.ml.bundle.ModelBundle;
import dev.almanac.ml.bundle.RealizedForecasts;
import dev.almanac.ml.bundle.SeriesEntry;
import dev.almanac.ml.features.FeaturePipeline;
import dev.almanac.ml.intervals.ConformalCalibration;
import dev.almanac.ml.intervals.IntervalBands;
import dev.almanac.server.model.ForecastTask;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Forecasts of a bundle through ml-core's {@code BundleForecaster} (the recursion the trainer
 * validated).
 */
final class BundleForecastTask implements ForecastTask {
  /** Days of history the dashboard chart shows before the holdout. */
  private static final int VIEW_DAYS = 180;

  private final ModelBundle bundle;
  private final ForecastSection section;
  private final HoldoutTable holdout;
  private final Map<String, Double> metrics;
  private final int minHistory;
  private final List<String> series;
  private final RealizedForecasts realized;

  BundleForecastTask(ModelBundle bundle) {
    this.realized = RealizedForecasts.read(bundle.dir()).orElse(new RealizedForecasts(Map.of()));
    this.bundle = bundle;
    this.section = bundle.metadata().forecast();
    this.holdout = HoldoutTable.of(bundle.holdoutPredictions());
    this.metrics = MetricsFlattening.flatten(bundle.metrics());
    this.minHistory = new FeaturePipeline(section.features()).minHistory();
    this.series = bundle.series();
    if (section.series().isEmpty()) {
      throw new IllegalArgumentException("forecast bundle " + bundle.dir() + " has no series");
    }
  }

  @Override
  public List<String> series() {
    return series;
  }

  @Override
  public List<RealizedForecasts.Point> realized(String series) {
    return realized.of(series);
  }

  @Override
  public int minHistory() {
    return minHistory;
  }

  @Override
  public int defaultHorizon() {
    return section.horizon() > 0 ? section.horizon() : 28;
  }

  @Override
  public Forecast forecast(String series, int horizon, double[] history) {
    // the given values are the newest ones, ending on the stored last date; older stored days stay
    dev.almanac.ml.bundle.Forecast f =
        history == null
            ? bundle.forecast(series, horizon)
            : bundle.forecaster().forecastWithRecent(series, horizon, history);
    return withIntervals(f);
  }

  /** The forecast with the bundle's prediction intervals of its series (none in older bundles). */
  private Forecast withIntervals(dev.almanac.ml.bundle.Forecast f) {
    SeriesEntry e = section.series().get(f.series());
    IntervalBands bands = e == null ? null : e.intervals();
    if (bands == null || !ConformalCalibration.METHOD.equals(bands.method())) {
      return new Forecast(f.dates(), f.values());
    }
    List<Interval> intervals = new ArrayList<>(bands.levels().length);
    for (int l = 0; l < bands.levels().length; l++) {
      intervals.add(
          new Interval(bands.levels()[l], bands.lower(l, f.values()), bands.upper(l, f.values())));
    }
    return new Forecast(f.dates(), f.values(), intervals);
  }

  @Override
  public List<Forecast> forecastAll(List<Request> requests) {
    List<BundleForecaster.Request> rs = new ArrayList<>(requests.size());
    for (Request r : requests) {
      rs.add(new BundleForecaster.Request(r.series(), r.horizon(), r.history()));
    }
    List<Forecast> out = new ArrayList<>(rs.size());
    for (dev.almanac.ml.bundle.Forecast f : bundle.forecaster().forecastAll(rs)) {
      out.add(withIntervals(f));
    }
    return out;
  }

  @Override
  public SeriesView view(String series) {
    SeriesEntry e = section.series().get(series);
    double[] h = e.history();
    int from = Math.max(0, h.length - VIEW_DAYS);
    List<LocalDate> dates = new ArrayList<>(h.length - from);
    LocalDate first = e.firstDate();
    for (int i = from; i < h.length; i++) {
      dates.add(first.plusDays(i));
    }
    List<HoldoutPrediction> rows = holdout.rows(series, section.promotedModel());
    List<LocalDate> hd = rows.stream().map(HoldoutPrediction::date).toList();
    double[] actual = rows.stream().mapToDouble(HoldoutPrediction::actual).toArray();
    double[] predicted = rows.stream().mapToDouble(HoldoutPrediction::forecast).toArray();
    return new SeriesView(
        series,
        dates,
        Arrays.copyOfRange(h, from, h.length),
        hd,
        actual,
        predicted,
        MetricsFlattening.forSeries(metrics, series));
  }

  @Override
  public Map<String, Double> metrics() {
    return MetricsFlattening.overall(
        metrics, section.series().keySet(), "overall." + section.promotedModel() + ".", 60);
  }
}
