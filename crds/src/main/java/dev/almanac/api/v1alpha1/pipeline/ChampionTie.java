package dev.almanac.api.v1alpha1.pipeline;

/**
 * When a challenger's holdout value counts as equal to the champion's. The champion is scored
 * through its exported ONNX graphs (float32) and the challenger natively (double): on unchanged
 * data the two are the same model and differ only by that rounding, which the trainer's parity
 * check bounds by 1e-4 relative. Trainer and operator share this rule.
 */
public final class ChampionTie {
  /** Relative difference at or below which two holdout values tie. */
  public static final double RELATIVE_TOLERANCE = 1e-4;

  private ChampionTie() {}

  public static boolean isTie(double challenger, double champion) {
    double scale = Math.max(Math.abs(challenger), Math.abs(champion));
    return Math.abs(challenger - champion) <= RELATIVE_TOLERANCE * scale;
  }
}
