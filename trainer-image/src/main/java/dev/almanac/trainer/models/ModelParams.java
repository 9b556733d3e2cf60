package dev.almanac.trainer.models;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The string parameters of one model fit (spec params overridden key by key by FitOptions params),
 * read with typed getters whose errors name the model and the parameter.
 */
final class ModelParams {
  private final String model;
  private final Map<String, String> values;

  private ModelParams(String model, Map<String, String> values) {
    this.model = model;
    this.values = values;
  }

  /** Fails on keys outside {@code known}, so a typo in a pipeline spec never goes unnoticed. */
  static ModelParams of(
      String model, Map<String, String> spec, Map<String, String> overrides, Set<String> known) {
    Map<String, String> merged = new HashMap<>(spec);
    merged.putAll(overrides);
    Set<String> unknown = new TreeSet<>(merged.keySet());
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown parameter(s) "
              + unknown
              + " for model "
              + model
              + "; supported: "
              + new TreeSet<>(known));
    }
    return new ModelParams(model, merged);
  }

  String string(String name, String defaultValue) {
    return values.getOrDefault(name, defaultValue);
  }

  double number(String name, double defaultValue) {
    String v = values.get(name);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "parameter '" + name + "' of model " + model + " must be a number, got '" + v + "'");
    }
  }

  double positive(String name, double defaultValue) {
    double d = number(name, defaultValue);
    if (!(d > 0)) {
      throw new IllegalArgumentException(
          "parameter '" + name + "' of model " + model + " must be > 0, got " + d);
    }
    return d;
  }

  double nonNegative(String name, double defaultValue) {
    double d = number(name, defaultValue);
    if (!(d >= 0)) {
      throw new IllegalArgumentException(
          "parameter '" + name + "' of model " + model + " must be >= 0, got " + d);
    }
    return d;
  }

  int integer(String name, int defaultValue, int min) {
    String v = values.get(name);
    if (v == null) {
      return defaultValue;
    }
    int i;
    try {
      i = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "parameter '" + name + "' of model " + model + " must be an integer, got '" + v + "'");
    }
    if (i < min) {
      throw new IllegalArgumentException(
          "parameter '" + name + "' of model " + model + " must be >= " + min + ", got " + i);
    }
    return i;
  }

  boolean flag(String name, boolean defaultValue) {
    String v = values.get(name);
    if (v == null) {
      return defaultValue;
    }
    return switch (v.trim().toLowerCase()) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              "parameter '"
                  + name
                  + "' of model "
                  + model
                  + " must be true or false, got '"
                  + v
                  + "'");
    };
  }
}
