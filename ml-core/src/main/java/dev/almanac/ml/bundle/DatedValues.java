package dev.almanac.ml.bundle;

import java.time.LocalDate;
import java.util.List;

/** A daily series slice for charts: one value per date. */
public record DatedValues(String series, List<LocalDate> dates, double[] values) {}
