package dev.almanac.ml.forecast;

/**
 * A fitted model seen by the forecaster: one feature row → one value (model space), and a batch of
 * rows (one per series) → values, so a global model or an ONNX ensemble can score all series of a
 * step in one call.
 */
@FunctionalInterface
public interface RowPredictor {
  double predict(double[] row);

  default double[] predict(double[][] rows) {
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = predict(rows[i]);
    }
    return out;
  }
}
