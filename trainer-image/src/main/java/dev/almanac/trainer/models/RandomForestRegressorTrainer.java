package dev.almanac.trainer.models;

import java.util.Map;

/**
 * scikit-learn's RandomForestRegressor defaults: 100 bootstrap trees, all features at every split
 * (max_features = 1.0), fully grown. Params: n_estimators, max_features, max_depth (0 = unlimited),
 * min_samples_split, min_samples_leaf, bootstrap.
 */
public final class RandomForestRegressorTrainer implements RegressorTrainer {
  private final Map<String, String> spec;

  public RandomForestRegressorTrainer(Map<String, String> spec) {
    this.spec = spec;
  }

  @Override
  public String type() {
    return "RandomForest";
  }

  @Override
  public TrainedForestRegressor fit(double[][] x, double[] y, FitOptions o) {
    ModelParams p = ModelParams.of(type(), spec, o.params(), RandomForestGrower.PARAMS);
    int f = TrainingData.checkShape(x, y.length);
    TrainingData.checkFinite(x, type());
    TrainingData.checkFiniteTargets(y, type());
    double[] yc = y.clone();
    var trees =
        RandomForestGrower.grow(
            x,
            RandomForestGrower.settings(p, f, "1.0", type()),
            o,
            (cols, tree) -> CartTreeGrower.regression(cols, yc, tree));
    return new TrainedForestRegressor(trees, f);
  }
}
