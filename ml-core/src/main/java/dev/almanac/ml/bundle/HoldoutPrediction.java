package dev.almanac.ml.bundle;

import java.time.LocalDate;

/** One line of {@code holdout_predictions.csv}. */
public record HoldoutPrediction(
    String series, LocalDate date, String model, double actual, double forecast) {}
