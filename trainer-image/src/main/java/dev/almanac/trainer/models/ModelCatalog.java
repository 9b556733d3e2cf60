package dev.almanac.trainer.models;

import java.util.List;
import java.util.Map;

/** Model type name (as written in a pipeline spec) to trainer. */
public final class ModelCatalog {
  public static final List<String> REGRESSION_TYPES = List.of("RandomForest", "XGBoost", "LightGBM", "Linear", "Ridge",
      LstmRegressorTrainer.TYPE);
  public static final List<String> CLASSIFICATION_TYPES = List.of("RandomForest", "XGBoost", "LogisticRegression");

  private ModelCatalog() {}

  /** Params given here are the spec's; FitOptions.params of a fit override them key by key. */
  public static RegressorTrainer regressor(String type, Map<String, String> params) {
    Map<String, String> p = params == null ? Map.of() : Map.copyOf(params);
    return switch (type) {
      case "RandomForest" -> new RandomForestRegressorTrainer(p);
      case "XGBoost" -> new XGBoostRegressorTrainer(p);
      case "LightGBM" -> new LightGbmRegressorTrainer(p);
      case "Linear" -> LinearRegressionTrainer.linear(p);
      case "Ridge" -> LinearRegressionTrainer.ridge(p);
      case LstmRegressorTrainer.TYPE -> new LstmRegressorTrainer(p);
      default -> throw new IllegalArgumentException("unknown regression model type '" + type + "', expected one of " + REGRESSION_TYPES);
    };
  }

  /**
   * Fit params a model type takes from the forecast's feature layout rather than from the spec: the
   * LSTM's sequence (the lag columns, oldest first); empty for every other type.
   */
  public static Map<String, String> layoutParams(String type, List<String> featureNames) {
    return LstmRegressorTrainer.TYPE.equals(type)
        ? Map.of(LstmRegressorTrainer.SEQUENCE_COLUMNS, LstmRegressorTrainer.sequenceColumns(featureNames)) : Map.of();
  }

  public static ClassifierTrainer classifier(String type, Map<String, String> params) {
    Map<String, String> p = params == null ? Map.of() : Map.copyOf(params);
    return switch (type) {
      case "RandomForest" -> new RandomForestClassifierTrainer(p);
      case "XGBoost" -> new XGBoostClassifierTrainer(p);
      case "LogisticRegression" -> new LogisticRegressionTrainer(p);
      default -> throw new IllegalArgumentException("unknown classification model type '" + type + "', expected one of " + CLASSIFICATION_TYPES);
    };
  }
}
