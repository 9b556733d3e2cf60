package dev.almanac.trainer.models;

import ai.onnx.proto.OnnxMl;
import dev.almanac.trainer.onnx.TreeEnsembleExport;
import ml.dmlc.xgboost4j.java.Booster;

/** Native prediction through the booster; export from its JSON model. */
public final class TrainedXGBoostRegressor implements TrainedRegressor {
  private final XGBoostBooster booster;

  TrainedXGBoostRegressor(Booster booster, int nFeatures) {
    this.booster = new XGBoostBooster(booster, nFeatures);
  }

  @Override
  public String type() {
    return "XGBoost";
  }

  public Booster booster() {
    return booster.booster();
  }

  @Override
  public double predict(double[] row) {
    return predict(new double[][] {row})[0];
  }

  @Override
  public double[] predict(double[][] rows) {
    if (rows.length == 0) {
      return new double[0];
    }
    float[][] out = booster.predict(rows);
    double[] p = new double[rows.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = out[i][0];
    }
    return p;
  }

  @Override
  public OnnxMl.ModelProto toOnnx(int nFeatures) {
    TrainingData.checkExportShape("XGBoost model", booster.nFeatures(), nFeatures);
    XGBoostModelJson.Parsed m = booster.model(1, "reg:squarederror");
    return TreeEnsembleExport.regressor(
        m.trees(),
        nFeatures,
        TreeEnsembleExport.Comparison.LT,
        TreeEnsembleExport.Aggregate.SUM,
        m.baseScore()[0],
        "XGBoost regressor, " + m.trees().size() + " trees");
  }
}
