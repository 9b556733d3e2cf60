package dev.almanac.trainer.models;

import ai.onnx.proto.OnnxMl;
import dev.almanac.trainer.onnx.TreeEnsembleExport;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** Native prediction through the booster; export from its JSON model. */
public final class TrainedXGBoostRegressor implements TrainedRegressor {
  private final Booster booster;
  private final int nFeatures;

  TrainedXGBoostRegressor(Booster booster, int nFeatures) {
    this.booster = booster;
    this.nFeatures = nFeatures;
  }

  @Override
  public String type() {
    return "XGBoost";
  }

  public Booster booster() {
    return booster;
  }

  @Override
  public double predict(double[] row) {
    TrainingData.checkRow(row, nFeatures);
    try {
      return booster.inplace_predict(TrainingData.toFloat(row), 1, nFeatures, Float.NaN)[0][0];
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
    }
  }

  @Override
  public double[] predict(double[][] rows) {
    if (rows.length == 0) {
      return new double[0];
    }
    for (double[] r : rows) {
      TrainingData.checkRow(r, nFeatures);
    }
    try {
      float[][] out =
          booster.inplace_predict(TrainingData.rowMajor(rows), rows.length, nFeatures, Float.NaN);
      double[] p = new double[rows.length];
      for (int i = 0; i < p.length; i++) {
        p[i] = out[i][0];
      }
      return p;
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
    }
  }

  @Override
  public OnnxMl.ModelProto toOnnx(int nFeatures) {
    if (nFeatures != this.nFeatures) {
      throw new IllegalArgumentException(
          "XGBoost model has " + this.nFeatures + " features, export asked for " + nFeatures);
    }
    XGBoostModelJson.Parsed m;
    try {
      m = XGBoostModelJson.parse(booster.toByteArray("json"), 1);
    } catch (XGBoostError e) {
      throw new IllegalStateException("cannot serialize XGBoost model: " + e.getMessage(), e);
    }
    if (!m.objective().equals("reg:squarederror")) {
      throw new IllegalStateException(
          "XGBoost objective " + m.objective() + " has no ONNX export here");
    }
    return TreeEnsembleExport.regressor(
        m.trees(),
        nFeatures,
        TreeEnsembleExport.Comparison.LT,
        TreeEnsembleExport.Aggregate.SUM,
        m.baseScore()[0],
        "XGBoost regressor, " + m.trees().size() + " trees");
  }
}
