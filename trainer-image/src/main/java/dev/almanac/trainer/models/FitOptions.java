package dev.almanac.trainer.models;

import java.util.Map;

/** Seed, native thread count and model-specific string parameters of one fit. */
public record FitOptions(long seed, int threads, Map<String, String> params) {
  public FitOptions {
    params = params == null ? Map.of() : Map.copyOf(params);
    if (threads < 1) {
      threads = Runtime.getRuntime().availableProcessors(); // 0 or less means "all cores"
    }
  }

  public static FitOptions defaults() {
    return new FitOptions(42L, 1, Map.of());
  }
}
