package dev.almanac.trainer.models;

import ai.onnx.proto.OnnxMl;
import dev.almanac.trainer.onnx.TreeEnsembleExport;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** Softmax over per-class tree sums plus base margins. */
public final class TrainedXGBoostClassifier implements TrainedClassifier {
  private final Booster booster;
  private final int nFeatures;
  private final int nClasses;

  TrainedXGBoostClassifier(Booster booster, int nFeatures, int nClasses) {
    this.booster = booster;
    this.nFeatures = nFeatures;
    this.nClasses = nClasses;
  }

  @Override
  public String type() {
    return "XGBoost";
  }

  @Override
  public double[] predictProba(double[] row) {
    return predictProba(new double[][] {row})[0];
  }

  @Override
  public double[][] predictProba(double[][] rows) {
    if (rows.length == 0) {
      return new double[0][];
    }
    for (double[] r : rows) {
      TrainingData.checkRow(r, nFeatures);
    }
    try {
      float[][] out =
          booster.inplace_predict(TrainingData.rowMajor(rows), rows.length, nFeatures, Float.NaN);
      double[][] p = new double[rows.length][nClasses];
      for (int i = 0; i < rows.length; i++) {
        for (int c = 0; c < nClasses; c++) {
          p[i][c] = out[i][c];
        }
      }
      return p;
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
    }
  }

  @Override
  public OnnxMl.ModelProto toOnnx(int nFeatures, int nClasses) {
    if (nFeatures != this.nFeatures || nClasses != this.nClasses) {
      throw new IllegalArgumentException(
          "XGBoost model is "
              + this.nFeatures
              + " features x "
              + this.nClasses
              + " classes, export asked for "
              + nFeatures
              + " x "
              + nClasses);
    }
    XGBoostModelJson.Parsed m;
    try {
      m = XGBoostModelJson.parse(booster.toByteArray("json"), nClasses);
    } catch (XGBoostError e) {
      throw new IllegalStateException("cannot serialize XGBoost model: " + e.getMessage(), e);
    }
    if (!m.objective().equals("multi:softprob")) {
      throw new IllegalStateException(
          "XGBoost objective " + m.objective() + " has no ONNX export here");
    }
    return TreeEnsembleExport.classifier(
        m.trees(),
        nFeatures,
        nClasses,
        TreeEnsembleExport.Comparison.LT,
        1.0,
        m.baseScore(),
        true,
        "XGBoost classifier, " + m.trees().size() + " trees");
  }
}
