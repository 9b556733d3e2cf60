package dev.almanac.trainer.batch;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One forecast value as stored by a batch run. (pipeline, modelVersion, series, targetDate,
 * horizonStep) is its identity: writing the same batch again replaces these rows instead of adding
 * new ones.
 *
 * @param horizonStep 1 for the first forecast day after the data, 2 for the next, ...
 */
public record PredictionRow(
    String pipeline,
    String model,
    String modelVersion,
    String series,
    LocalDate targetDate,
    int horizonStep,
    double value,
    Instant generatedAt) {}
