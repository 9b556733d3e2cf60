package dev.almanac.trainer.models;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * A fitted XGBoost booster over {@code nFeatures} columns: native batch prediction and its JSON
 * model for the ONNX export, shared by the regressor and the classifier.
 */
final class XGBoostBooster {
  private final Booster booster;
  private final int nFeatures;

  XGBoostBooster(Booster booster, int nFeatures) {
    this.booster = booster;
    this.nFeatures = nFeatures;
  }

  Booster booster() {
    return booster;
  }

  int nFeatures() {
    return nFeatures;
  }

  /** One row of outputs per row (float input: the values ONNX Runtime sees); rows not empty. */
  float[][] predict(double[][] rows) {
    TrainingData.checkRows(rows, nFeatures);
    try {
      return booster.inplace_predict(
          TrainingData.rowMajor(rows), rows.length, nFeatures, Float.NaN);
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
    }
  }

  /**
   * The trees of the JSON model, which must have been trained with {@code objective}.
   *
   * @param nOutputs 1 for regression, else the number of classes
   */
  XGBoostModelJson.Parsed model(int nOutputs, String objective) {
    XGBoostModelJson.Parsed m;
    try {
      m = XGBoostModelJson.parse(booster.toByteArray("json"), nOutputs);
    } catch (XGBoostError e) {
      throw new IllegalStateException("cannot serialize XGBoost model: " + e.getMessage(), e);
    }
    if (!m.objective().equals(objective)) {
      throw new IllegalStateException(
          "XGBoost objective " + m.objective() + " has no ONNX export here");
    }
    return m;
  }
}
