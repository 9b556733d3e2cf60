package dev.almanac.trainer.models;

import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** xgboost4j gbtree with squared error, parameters as XGBRegressor's. */
public final class XGBoostRegressorTrainer implements RegressorTrainer {
  private final Map<String, String> spec;

  public XGBoostRegressorTrainer(Map<String, String> spec) {
    this.spec = spec;
  }

  @Override
  public String type() {
    return "XGBoost";
  }

  @Override
  public TrainedXGBoostRegressor fit(double[][] x, double[] y, FitOptions o) {
    ModelParams p = ModelParams.of(type(), spec, o.params(), XGBoostSettings.PARAMS);
    int f = TrainingData.checkShape(x, y.length);
    Map<String, Object> params = XGBoostSettings.booster(p, o);
    params.put("objective", "reg:squarederror");
    try {
      DMatrix d = new DMatrix(TrainingData.rowMajor(x), x.length, f, Float.NaN);
      try {
        d.setLabel(TrainingData.toFloat(y));
        Booster b =
            XGBoost.train(d, params, XGBoostSettings.rounds(p), new HashMap<>(), null, null);
        // the recursive forecast predicts one row at a time: thread start-up costs more than the
        // work
        b.setParam("nthread", 1);
        return new TrainedXGBoostRegressor(b, f);
      } finally {
        d.dispose();
      }
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost training failed: " + e.getMessage(), e);
    }
  }
}
