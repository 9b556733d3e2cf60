package dev.almanac.trainer.models;

import ai.onnx.proto.OnnxMl;
import dev.almanac.ml.forecast.RowPredictor;

/**
 * A fitted regressor: native prediction (a {@link RowPredictor}, so the forecaster recurses on it
 * directly) plus its ONNX graph.
 */
public interface TrainedRegressor extends RowPredictor {
  String type();

  /** Graph with input "features" float[N,F] and output "prediction" float[N,1]. */
  OnnxMl.ModelProto toOnnx(int nFeatures);
}
