package dev.almanac.ml.metrics;

/**
 * Holdout accuracy of one forecast on the case scale (the anchor's definitions): MAPE skips days
 * with a zero actual (null when all are zero); sMAPE = mean 200|e|/(|a|+|f|) with 0/0 days counting
 * 0; MASE = MAE / {@link #maseScale} (null when the scale is 0).
 */
public record ForecastMetrics(double mae, double rmse, Double mape, double smape, Double mase) {
  public static ForecastMetrics of(double[] actual, double[] forecast, double maseScale) {
    if (actual.length != forecast.length || actual.length == 0) {
      throw new IllegalArgumentException("actual and forecast must be non-empty and equally long");
    }
    int n = actual.length;
    double abs = 0;
    double sq = 0;
    double ape = 0;
    int nz = 0;
    double sm = 0;
    for (int i = 0; i < n; i++) {
      double e = forecast[i] - actual[i];
      abs += Math.abs(e);
      sq += e * e;
      if (actual[i] > 0) {
        ape += Math.abs(e) / actual[i];
        nz++;
      }
      double denom = Math.abs(actual[i]) + Math.abs(forecast[i]);
      sm += denom > 0 ? 2.0 * Math.abs(e) / denom : 0.0;
    }
    double mae = abs / n;
    return new ForecastMetrics(
        mae,
        Math.sqrt(sq / n),
        nz > 0 ? ape / nz * 100 : null,
        sm / n * 100,
        maseScale > 0 ? mae / maseScale : null);
  }

  /**
   * MASE denominator: mean |y_t - y_{t-7}| over the (regularised, not winsorised) training part.
   */
  public static double maseScale(double[] train) {
    return maseScale(train, 7);
  }

  public static double maseScale(double[] train, int season) {
    if (train.length <= season) {
      throw new IllegalArgumentException("training part shorter than the season " + season);
    }
    double s = 0;
    for (int t = season; t < train.length; t++) {
      s += Math.abs(train[t] - train[t - season]);
    }
    return s / (train.length - season);
  }

  /** The value of a metric by its spec name (MAE, RMSE, SMAPE, MASE, MAPE). */
  public double get(String metric) {
    return switch (metric.toUpperCase(java.util.Locale.ROOT)) {
      case "MAE" -> mae;
      case "RMSE" -> rmse;
      case "SMAPE" -> smape;
      case "MAPE" -> mape == null ? Double.NaN : mape;
      case "MASE" -> mase == null ? Double.NaN : mase;
      default -> throw new IllegalArgumentException("unknown forecast metric " + metric);
    };
  }
}
