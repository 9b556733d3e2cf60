package dev.almanac.ml.bundle;

import java.util.List;

/** One of the top-k diseases for a set of symptoms. */
public record DiseasePrediction(
    String disease, double probability, String description, List<String> precautions) {}
