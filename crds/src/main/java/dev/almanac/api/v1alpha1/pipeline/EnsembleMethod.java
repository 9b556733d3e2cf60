package dev.almanac.api.v1alpha1.pipeline;

/**
 * How candidates are combined; InverseError weights come from an inner validation window, never
 * from the scored holdout.
 */
public enum EnsembleMethod {
  None,
  Mean,
  InverseError;
}
