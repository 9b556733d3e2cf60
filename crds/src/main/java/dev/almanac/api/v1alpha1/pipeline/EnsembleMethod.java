package dev.almanac.api.v1alpha1.pipeline;

/**
 * How candidates are combined; weights (and, for InverseError, the member subset) come from
 * rolling-origin backtests inside the training data (the trainer's BacktestSelection), never from
 * the scored holdout.
 */
public enum EnsembleMethod {
  None,
  Mean,
  InverseError;
}
