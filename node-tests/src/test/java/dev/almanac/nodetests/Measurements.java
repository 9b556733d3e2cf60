package dev.almanac.nodetests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the node tier measured (durations, sizes), written to target/node-measurements.txt. */
final class Measurements {
  private final Map<String, List<Duration>> durations = new LinkedHashMap<>();
  private final Map<String, String> notes = new LinkedHashMap<>();

  synchronized void record(String what, Duration duration) {
    durations.computeIfAbsent(what, k -> new ArrayList<>()).add(duration);
    write();
  }

  synchronized void note(String what, String value) {
    notes.put(what, value);
    write();
  }

  synchronized List<Duration> of(String what) {
    return List.copyOf(durations.getOrDefault(what, List.of()));
  }

  static Duration percentile(List<Duration> values, double p) {
    var sorted = values.stream().sorted().toList();
    return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
  }

  private void write() {
    var lines = new ArrayList<String>();
    durations.forEach(
        (what, values) -> {
          if (values.size() == 1) {
            lines.add(
                String.format(Locale.ROOT, "%s: %.2f s", what, values.get(0).toMillis() / 1000.0));
          } else {
            lines.add(
                String.format(
                    Locale.ROOT,
                    "%s: n=%d p50 %.2f s, max %.2f s",
                    what,
                    values.size(),
                    percentile(values, 0.5).toMillis() / 1000.0,
                    percentile(values, 1.0).toMillis() / 1000.0));
          }
        });
    notes.forEach((what, value) -> lines.add(what + ": " + value));
    try {
      Path file = NodeCluster.reportFile();
      Files.createDirectories(file.getParent());
      Files.write(file, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
