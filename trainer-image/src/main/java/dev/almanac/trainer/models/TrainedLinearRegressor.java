package dev.almanac.trainer.models;

import ai.onnx.proto.OnnxMl;
import dev.almanac.trainer.onnx.LinearExport;

/** prediction = coef · row + intercept, in raw feature units. */
public record TrainedLinearRegressor(String type, double[] coef, double intercept)
    implements TrainedRegressor {

  @Override
  public double predict(double[] row) {
    TrainingData.checkRow(row, coef.length);
    double s = intercept;
    for (int j = 0; j < coef.length; j++) {
      s += coef[j] * row[j];
    }
    return s;
  }

  @Override
  public OnnxMl.ModelProto toOnnx(int nFeatures) {
    TrainingData.checkExportShape(type + " model", coef.length, nFeatures);
    return LinearExport.regressor(coef, intercept, type + " regression");
  }
}
