package dev.almanac.api.v1alpha1.pipeline;

/**
 * Candidate model families. SeasonalNaive, ETS and Prophet are statistical members that keep the
 * ensemble honest; LSTM is a small recurrent network over the lag features (forecast only).
 */
public enum ModelType {
  RandomForest,
  XGBoost,
  LightGBM,
  Linear,
  Ridge,
  LogisticRegression,
  SeasonalNaive,
  ETS,
  Prophet,
  LSTM;
}
