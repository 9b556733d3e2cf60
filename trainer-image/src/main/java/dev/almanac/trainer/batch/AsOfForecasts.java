package dev.almanac.trainer.batch;

import dev.almanac.ml.bundle.Forecast;
import dev.almanac.ml.bundle.ModelBundle;
import dev.almanac.ml.data.RawSeries;
import java.time.LocalDate;

/**
 * Batch forecasts under a data cutoff ({@code spec.data.asOf}): a version whose stored history runs
 * past the cutoff forecasts from its history cut at the cutoff, so no row after it is used, and the
 * first forecast day is the day after the cutoff. A version trained on older data forecasts from
 * its own history, as without a cutoff.
 */
public final class AsOfForecasts {
  private AsOfForecasts() {}

  /**
   * @param asOf the cutoff, or null for the bundle's whole history
   * @throws IllegalArgumentException when the cutoff leaves too little history to forecast from
   */
  public static Forecast forecast(ModelBundle bundle, String series, int horizon, LocalDate asOf) {
    if (asOf == null) {
      return bundle.forecast(series, horizon);
    }
    var history = bundle.history(series);
    if (history.dates().isEmpty()
        || !history.dates().get(history.dates().size() - 1).isAfter(asOf)) {
      return bundle.forecast(series, horizon);
    }
    var cut = new RawSeries(series, history.dates(), history.values()).until(asOf);
    if (cut.size() == 0) {
      throw new IllegalArgumentException(
          "data.asOf "
              + asOf
              + " is before the first day ("
              + history.dates().get(0)
              + ") of series "
              + series
              + " in version "
              + bundle.version());
    }
    return bundle.forecast(series, horizon, cut);
  }
}
