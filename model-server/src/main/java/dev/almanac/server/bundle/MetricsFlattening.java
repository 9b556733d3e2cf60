package dev.almanac.server.bundle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the nested {@code metrics.json} of a bundle into {@code a.b.c → number} pairs. */
final class MetricsFlattening {
  private MetricsFlattening() {}

  static Map<String, Double> flatten(Map<String, Object> nested) {
    Map<String, Double> out = new LinkedHashMap<>();
    walk("", nested, out);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void walk(String prefix, Object v, Map<String, Double> out) {
    if (v instanceof Number n) {
      out.put(prefix, n.doubleValue());
    } else if (v instanceof Map<?, ?> m) {
      for (var e : ((Map<String, Object>) m).entrySet()) {
        walk(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else if (v instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        walk(prefix + "[" + i + "]", l.get(i), out);
      }
    }
  }

  /** Keys that mention {@code series} as a path segment, with that segment removed. */
  static Map<String, Double> forSeries(Map<String, Double> flat, String series) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (var e : flat.entrySet()) {
      List<String> parts = List.of(e.getKey().split("\\."));
      if (parts.contains(series)) {
        out.put(
            String.join(".", parts.stream().filter(p -> !p.equals(series)).toList()), e.getValue());
      }
    }
    return out;
  }

  /**
   * Keys that mention none of {@code series} (overall figures), at most {@code limit} of them,
   * those starting with {@code firstPrefix} (the served model's own figures) first: with several
   * members the served model's figures came last and fell past the limit.
   */
  static Map<String, Double> overall(
      Map<String, Double> flat,
      java.util.Collection<String> series,
      String firstPrefix,
      int limit) {
    java.util.Set<String> s = new java.util.HashSet<>(series);
    List<Map.Entry<String, Double>> kept = new java.util.ArrayList<>();
    for (var e : flat.entrySet()) {
      boolean perSeries = false;
      for (String p : e.getKey().split("\\.")) {
        if (s.contains(p)) {
          perSeries = true;
          break;
        }
      }
      if (!perSeries) {
        kept.add(e);
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (boolean first : new boolean[] {true, false}) {
      for (var e : kept) {
        if (out.size() < limit
            && (firstPrefix != null && e.getKey().startsWith(firstPrefix)) == first) {
          out.put(e.getKey(), e.getValue());
        }
      }
    }
    return out;
  }
}
