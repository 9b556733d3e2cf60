package dev.almanac.trainer.models;

import ai.onnx.proto.OnnxMl;
import dev.almanac.trainer.onnx.TreeEnsembleExport;
import ml.dmlc.xgboost4j.java.Booster;

/** Softmax over per-class tree sums plus base margins. */
public final class TrainedXGBoostClassifier implements TrainedClassifier {
  private final XGBoostBooster booster;
  private final int nClasses;

  TrainedXGBoostClassifier(Booster booster, int nFeatures, int nClasses) {
    this.booster = new XGBoostBooster(booster, nFeatures);
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
    float[][] out = booster.predict(rows);
    double[][] p = new double[rows.length][nClasses];
    for (int i = 0; i < rows.length; i++) {
      for (int c = 0; c < nClasses; c++) {
        p[i][c] = out[i][c];
      }
    }
    return p;
  }

  @Override
  public OnnxMl.ModelProto toOnnx(int nFeatures, int nClasses) {
    TrainingData.checkExportShape(
        "XGBoost model", booster.nFeatures(), this.nClasses, nFeatures, nClasses);
    XGBoostModelJson.Parsed m = booster.model(nClasses, "multi:softprob");
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
