package dev.almanac.trainer.models;

import java.util.Map;

/**
 * scikit-learn's RandomForestClassifier defaults: 100 bootstrap trees, sqrt(features) per split,
 * Gini, fully grown; probabilities are the mean of the trees' leaf class frequencies.
 */
public final class RandomForestClassifierTrainer implements ClassifierTrainer {
  private final Map<String, String> spec;

  public RandomForestClassifierTrainer(Map<String, String> spec) {
    this.spec = spec;
  }

  @Override
  public String type() {
    return "RandomForest";
  }

  @Override
  public TrainedForestClassifier fit(double[][] x, int[] y, int nClasses, FitOptions o) {
    ModelParams p = ModelParams.of(type(), spec, o.params(), RandomForestGrower.PARAMS);
    int f = TrainingData.checkShape(x, y.length);
    TrainingData.checkFinite(x, type());
    TrainingData.checkLabels(y, nClasses);
    int[] yc = y.clone();
    var trees =
        RandomForestGrower.grow(
            x,
            RandomForestGrower.settings(p, f, "sqrt", type()),
            o,
            (cols, tree) -> CartTreeGrower.classification(cols, yc, nClasses, tree));
    return new TrainedForestClassifier(trees, f, nClasses);
  }
}
