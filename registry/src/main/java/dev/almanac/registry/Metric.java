package dev.almanac.registry;

/** One metric point. {@code timestamp} is epoch milliseconds. */
public record Metric(String key, double value, long timestamp, long step) {
  public static Metric of(String key, double value, long step) {
    return new Metric(key, value, System.currentTimeMillis(), step);
  }
}
