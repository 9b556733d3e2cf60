package dev.almanac.trainer.models;

import dev.almanac.api.v1alpha1.pipeline.ModelType;
import dev.almanac.api.v1alpha1.pipeline.Task;
import java.util.List;
import java.util.Map;

/**
 * Model type (as written in a pipeline spec) to trainer. Which type serves which task is {@link
 * ModelType}'s table, the same one the CRD validates with; the switches below are exhaustive, so a
 * new type does not compile until it is placed here.
 */
public final class ModelCatalog {
  /** Forecast types fitted on the feature matrix (the statistical ones are fitted per series). */
  public static final List<ModelType> REGRESSION_TYPES =
      ModelType.forTask(Task.FORECAST).stream().filter(t -> !t.statistical()).toList();

  public static final List<ModelType> CLASSIFICATION_TYPES = ModelType.forTask(Task.CLASSIFICATION);

  private ModelCatalog() {}

  /**
   * Refuses a type the task does not take, naming the ones it does.
   *
   * @throws IllegalArgumentException when {@code type} does not support {@code task}
   */
  public static void requireSupported(ModelType type, Task task) {
    if (!type.supports(task)) {
      String hint =
          type == ModelType.LogisticRegression
              ? " (LogisticRegression is a classification model; use Linear or Ridge)"
              : "";
      throw new IllegalArgumentException(
          "model type "
              + type
              + " does not support task "
              + task.wireName()
              + "; "
              + task.wireName()
              + " takes "
              + ModelType.forTask(task)
              + hint);
    }
  }

  /** Params given here are the spec's; FitOptions.params of a fit override them key by key. */
  public static RegressorTrainer regressor(ModelType type, Map<String, String> params) {
    requireSupported(type, Task.FORECAST);
    Map<String, String> p = params == null ? Map.of() : Map.copyOf(params);
    return switch (type) {
      case RandomForest -> new RandomForestRegressorTrainer(p);
      case XGBoost -> new XGBoostRegressorTrainer(p);
      case LightGBM -> new LightGbmRegressorTrainer(p);
      case Linear -> LinearRegressionTrainer.linear(p);
      case Ridge -> LinearRegressionTrainer.ridge(p);
      case LSTM -> new LstmRegressorTrainer(p);
      case SeasonalNaive, ETS, Prophet ->
          throw new IllegalArgumentException(
              "model type "
                  + type
                  + " is a statistical member fitted per series, not a regressor on features; regressors are "
                  + REGRESSION_TYPES);
      case LogisticRegression ->
          throw new IllegalStateException("unreachable: " + type + " does not forecast");
    };
  }

  /**
   * Fit params a model type takes from the forecast's feature layout rather than from the spec: the
   * LSTM's sequence (the lag columns, oldest first); empty for every other type.
   */
  public static Map<String, String> layoutParams(ModelType type, List<String> featureNames) {
    return type == ModelType.LSTM
        ? Map.of(
            LstmRegressorTrainer.SEQUENCE_COLUMNS,
            LstmRegressorTrainer.sequenceColumns(featureNames))
        : Map.of();
  }

  public static ClassifierTrainer classifier(ModelType type, Map<String, String> params) {
    requireSupported(type, Task.CLASSIFICATION);
    Map<String, String> p = params == null ? Map.of() : Map.copyOf(params);
    return switch (type) {
      case RandomForest -> new RandomForestClassifierTrainer(p);
      case XGBoost -> new XGBoostClassifierTrainer(p);
      case LogisticRegression -> new LogisticRegressionTrainer(p);
      case LightGBM, Linear, Ridge, SeasonalNaive, ETS, Prophet, LSTM ->
          throw new IllegalStateException("unreachable: " + type + " does not classify");
    };
  }
}
