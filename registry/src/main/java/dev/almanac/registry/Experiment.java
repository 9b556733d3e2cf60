package dev.almanac.registry;

/**
 * An MLflow experiment. {@code artifactLocation} is the root its runs' artifact URIs live under.
 */
public record Experiment(String id, String name, String artifactLocation, String lifecycleStage) {}
