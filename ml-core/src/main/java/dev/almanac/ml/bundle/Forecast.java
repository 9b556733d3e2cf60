package dev.almanac.ml.bundle;

import java.time.LocalDate;
import java.util.List;

/** A served forecast: one value per date, case scale, never negative. */
public record Forecast(String series, List<LocalDate> dates, double[] values) {}
