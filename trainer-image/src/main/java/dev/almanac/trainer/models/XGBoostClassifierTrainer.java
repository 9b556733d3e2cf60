package dev.almanac.trainer.models;

import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * xgboost4j gbtree with multi:softprob (also for two classes, so every model has one export path).
 */
public final class XGBoostClassifierTrainer implements ClassifierTrainer {
  private final Map<String, String> spec;

  public XGBoostClassifierTrainer(Map<String, String> spec) {
    this.spec = spec;
  }

  @Override
  public String type() {
    return "XGBoost";
  }

  @Override
  public TrainedXGBoostClassifier fit(double[][] x, int[] y, int nClasses, FitOptions o) {
    ModelParams p = ModelParams.of(type(), spec, o.params(), XGBoostSettings.PARAMS);
    int f = TrainingData.checkShape(x, y.length);
    TrainingData.checkLabels(y, nClasses);
    Map<String, Object> params = XGBoostSettings.booster(p, o);
    params.put("objective", "multi:softprob");
    params.put("num_class", nClasses);
    float[] labels = new float[y.length];
    for (int i = 0; i < y.length; i++) {
      labels[i] = y[i];
    }
    try {
      DMatrix d = new DMatrix(TrainingData.rowMajor(x), x.length, f, Float.NaN);
      try {
        d.setLabel(labels);
        Booster b =
            XGBoost.train(d, params, XGBoostSettings.rounds(p), new HashMap<>(), null, null);
        b.setParam("nthread", 1); // single-row serving-style predictions
        return new TrainedXGBoostClassifier(b, f, nClasses);
      } finally {
        d.dispose();
      }
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost training failed: " + e.getMessage(), e);
    }
  }
}
