package dev.almanac.trainer.models;

import ai.onnx.proto.OnnxMl;
import dev.almanac.trainer.onnx.LinearExport;

/** probabilities = softmax(row · coef + intercept), coef is [features][classes]. */
public record TrainedSoftmaxClassifier(String type, double[][] coef, double[] intercept)
    implements TrainedClassifier {

  @Override
  public double[] predictProba(double[] row) {
    TrainingData.checkRow(row, coef.length);
    int k = intercept.length;
    double[] z = intercept.clone();
    for (int j = 0; j < coef.length; j++) {
      double v = row[j];
      for (int c = 0; c < k; c++) {
        z[c] += v * coef[j][c];
      }
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (int c = 0; c < k; c++) {
      z[c] = Math.exp(z[c] - max);
      sum += z[c];
    }
    for (int c = 0; c < k; c++) {
      z[c] /= sum;
    }
    return z;
  }

  @Override
  public OnnxMl.ModelProto toOnnx(int nFeatures, int nClasses) {
    TrainingData.checkExportShape(
        type + " model", coef.length, intercept.length, nFeatures, nClasses);
    return LinearExport.softmaxClassifier(coef, intercept, type + " (multinomial)");
  }
}
