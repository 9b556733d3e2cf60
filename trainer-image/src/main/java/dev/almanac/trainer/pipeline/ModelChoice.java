package dev.almanac.trainer.pipeline;

import java.util.Map;

/** One candidate of the spec; {@code name} is unique within a run (type, or type#2 for a repeat). */
public record ModelChoice(String name, String type, Map<String, String> params) {
  public static final String SEASONAL_NAIVE = "SeasonalNaive";
  public static final String ETS = "ETS";

  public boolean statistical() {
    return SEASONAL_NAIVE.equals(type) || ETS.equals(type);
  }
}
