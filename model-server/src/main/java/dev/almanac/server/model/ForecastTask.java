package dev.almanac.server.model;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** What a forecast model offers the routes and the dashboard. */
public interface ForecastTask {
  List<String> series();

  /** Values a replacement history must have at least (the longest lag or window). */
  int minHistory();

  /** The horizon the model was validated on (the default of a request). */
  int defaultHorizon();

  /**
   * Recursive forecast of {@code horizon} days after the series' last known date.
   *
   * @param history null, or values that replace the newest stored values (ending on the last known
   *     date)
   */
  Forecast forecast(String series, int horizon, double[] history);

  /**
   * The forecasts of several requests, each equal to {@link #forecast} of it; requests with the
   * same horizon share one model call per day.
   *
   * @throws IllegalArgumentException naming a request that cannot be forecast
   */
  List<Forecast> forecastAll(List<Request> requests);

  /** One forecast request, as the arguments of {@link #forecast}. */
  record Request(String series, int horizon, double[] history) {}

  /** History, holdout actuals vs predictions, for the dashboard chart. */
  SeriesView view(String series);

  /**
   * Earlier versions' forecasts of this series scored against the actuals that arrived since (the
   * bundle's {@code realized_forecasts.json}); empty when the version was trained without any.
   */
  default List<dev.almanac.ml.bundle.RealizedForecasts.Point> realized(String series) {
    return List.of();
  }

  /** Holdout metrics (MAE, MASE, ...), per series or overall. */
  Map<String, Double> metrics();

  /**
   * A forecast and, when the model has them, its prediction intervals (one per level, ascending).
   */
  record Forecast(List<LocalDate> dates, double[] values, List<Interval> intervals) {
    public Forecast {
      intervals = intervals == null ? List.of() : List.copyOf(intervals);
    }

    public Forecast(List<LocalDate> dates, double[] values) {
      this(dates, values, List.of());
    }
  }

  /** A prediction interval of nominal {@code level} (0.8 = 80 %), one bound per forecast date. */
  record Interval(double level, double[] lower, double[] upper) {}

  record SeriesView(
      String series,
      List<LocalDate> historyDates,
      double[] history,
      List<LocalDate> holdoutDates,
      double[] holdoutActual,
      double[] holdoutPredicted,
      Map<String, Double> metrics) {}
}
