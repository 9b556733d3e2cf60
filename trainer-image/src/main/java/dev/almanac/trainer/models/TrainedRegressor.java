package dev.almanac.trainer.models;

import ai.onnx.proto.OnnxMl;

/** A fitted regressor: native prediction plus its ONNX graph. */
public interface TrainedRegressor {
  String type();

  double predict(double[] row);

  default double[] predict(double[][] rows) {
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = predict(rows[i]);
    }
    return out;
  }

  /** Graph with input "features" float[N,F] and output "prediction" float[N,1]. */
  OnnxMl.ModelProto toOnnx(int nFeatures);
}
