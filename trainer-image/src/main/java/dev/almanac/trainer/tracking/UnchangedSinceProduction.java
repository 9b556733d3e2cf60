package dev.almanac.trainer.tracking;

import dev.almanac.registry.ModelVersionInfo;
import java.util.Optional;

/**
 * Whether a scheduled run would retrain the production version as it is: same input bytes ({@code
 * almanac.inputs_sha256}) and same training-relevant spec ({@code almanac.training_spec_sha256},
 * the operator's digest of it). Versions recorded without either tag never match, so they are
 * retrained.
 */
public final class UnchangedSinceProduction {
  public static final String INPUTS_TAG = "almanac.inputs_sha256";
  public static final String TRAINING_SPEC_TAG = "almanac.training_spec_sha256";

  private UnchangedSinceProduction() {}

  /** The reason to skip, or empty when something changed (or cannot be told). */
  public static Optional<String> check(
      ModelVersionInfo production, String inputsDigest, String trainingSpecDigest) {
    if (trainingSpecDigest == null || inputsDigest == null) {
      return Optional.empty();
    }
    var tags = production.tags();
    if (!inputsDigest.equals(tags.get(INPUTS_TAG))
        || !trainingSpecDigest.equals(tags.get(TRAINING_SPEC_TAG))) {
      return Optional.empty();
    }
    return Optional.of(
        "data (sha256 "
            + inputsDigest.substring(0, Math.min(12, inputsDigest.length()))
            + ") and training spec unchanged since production version "
            + production.version()
            + ": nothing new to train");
  }
}
