package dev.almanac.trainer.models;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * XGBoost parameters with the scikit-learn wrapper's names and defaults
 * (XGBRegressor/XGBClassifier: 100 rounds, eta 0.3, depth 6, hist), translated to native booster
 * params.
 */
final class XGBoostSettings {
  static final Set<String> PARAMS =
      Set.of(
          "n_estimators",
          "learning_rate",
          "max_depth",
          "min_child_weight",
          "subsample",
          "colsample_bytree",
          "reg_lambda",
          "reg_alpha",
          "gamma",
          "max_bin",
          "tree_method");

  private XGBoostSettings() {}

  static int rounds(ModelParams p) {
    return p.integer("n_estimators", 100, 1);
  }

  static Map<String, Object> booster(ModelParams p, FitOptions o) {
    Map<String, Object> m = new HashMap<>();
    m.put("eta", p.positive("learning_rate", 0.3));
    m.put("max_depth", p.integer("max_depth", 6, 0));
    m.put("min_child_weight", p.nonNegative("min_child_weight", 1.0));
    m.put("subsample", p.positive("subsample", 1.0));
    m.put("colsample_bytree", p.positive("colsample_bytree", 1.0));
    m.put("lambda", p.nonNegative("reg_lambda", 1.0));
    m.put("alpha", p.nonNegative("reg_alpha", 0.0));
    m.put("gamma", p.nonNegative("gamma", 0.0));
    m.put("max_bin", p.integer("max_bin", 256, 2));
    m.put("tree_method", p.string("tree_method", "hist"));
    m.put("seed", o.seed());
    m.put("nthread", o.threads());
    m.put("verbosity", 0);
    return m;
  }
}
