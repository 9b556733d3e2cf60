package dev.almanac.api.v1alpha1.pipeline;

/** Candidate model families. SeasonalNaive and ETS are statistical members that keep the ensemble honest. */
public enum ModelType {
  RandomForest,
  XGBoost,
  LightGBM,
  Linear,
  Ridge,
  LogisticRegression,
  SeasonalNaive,
  ETS;
}
