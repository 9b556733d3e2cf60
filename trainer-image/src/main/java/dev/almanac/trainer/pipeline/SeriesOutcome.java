package dev.almanac.trainer.pipeline;

import java.time.LocalDate;
import java.util.Map;

/**
 * Holdout result of one series: actuals, every model's forecast (case scale), what cleaning did,
 * and the scale its prediction intervals are multiplied with (from the training part only).
 */
record SeriesOutcome(
    String id,
    LocalDate holdoutStart,
    double[] actual,
    Map<String, double[]> forecasts,
    double maseScale,
    int winsorizedTrainPoints,
    int missingFilled,
    int negativesClipped,
    int datesInserted,
    double intervalScale) {}
