package dev.almanac.ml.forecast;

import dev.almanac.ml.features.FeaturePipeline;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * H-step recursive forecast with dynamic feature update: predict day 1, floor it, append it to the
 * history, recompute day 2's features from the extended history, and so on. With several series
 * every step is one batched call to the predictor.
 */
public final class RecursiveForecaster {
  private final FeaturePipeline features;

  public RecursiveForecaster(FeaturePipeline features) {
    this.features = features;
  }

  /** Forecast values plus the feature row each was predicted from (used for ONNX parity checks). */
  public record Result(double[] values, double[][] rows) {}

  public double[] forecast(ForecastInput in, int horizon, RowPredictor predictor) {
    return forecastAll(List.of(in), horizon, predictor).get(0).values();
  }

  public List<Result> forecastAll(List<ForecastInput> inputs, int horizon, RowPredictor predictor) {
    int s = inputs.size();
    double[][] buf = new double[s][];
    int[] n = new int[s];
    double[][][] rows = new double[s][horizon][];
    for (int i = 0; i < s; i++) {
      ForecastInput in = inputs.get(i);
      n[i] = in.history().length;
      if (n[i] < features.minHistory()) {
        throw new IllegalArgumentException(
            "series "
                + i
                + " has "
                + n[i]
                + " days of history, the features need "
                + features.minHistory());
      }
      buf[i] = Arrays.copyOf(in.history(), n[i] + horizon);
    }
    double[][] step = new double[s][];
    for (int h = 0; h < horizon; h++) {
      for (int i = 0; i < s; i++) {
        ForecastInput in = inputs.get(i);
        step[i] = features.row(buf[i], n[i] + h, in.lastDate().plusDays(h + 1L), in.extra());
        rows[i][h] = step[i];
      }
      double[] pred = s == 1 ? new double[] {predictor.predict(step[0])} : predictor.predict(step);
      for (int i = 0; i < s; i++) {
        ForecastInput in = inputs.get(i);
        double v = pred[i] + (in.offsets() == null ? 0.0 : in.offsets()[h]);
        buf[i][n[i] + h] = Math.max(v, in.floor());
      }
    }
    List<Result> out = new ArrayList<>(s);
    for (int i = 0; i < s; i++) {
      out.add(new Result(Arrays.copyOfRange(buf[i], n[i], n[i] + horizon), rows[i]));
    }
    return out;
  }
}
