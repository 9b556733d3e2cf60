package dev.almanac.trainer.models;

import ai.onnx.proto.OnnxMl;

/** A fitted classifier: class probabilities natively plus its ONNX graph. */
public interface TrainedClassifier {
  String type();

  double[] predictProba(double[] row);

  default double[][] predictProba(double[][] rows) {
    double[][] out = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = predictProba(rows[i]);
    }
    return out;
  }

  /**
   * Graph with input "features" float[N,F], outputs "label" int64[N] and "probabilities"
   * float[N,C].
   */
  OnnxMl.ModelProto toOnnx(int nFeatures, int nClasses);
}
