package dev.almanac.ml.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Earlier versions' stored forecasts next to the actuals that arrived for their days ({@code
 * realized_forecasts.json}, forecast bundles, optional, additive): written by a training run that
 * scored them (realized accuracy), so the server's dashboard can draw forecast vs actual.
 *
 * @param series series id → its scored days, by version then date
 */
public record RealizedForecasts(Map<String, List<Point>> series) {
  public static final String FILE = "realized_forecasts.json";

  /**
   * One scored day.
   *
   * @param horizonStep days ahead the forecast was made (the smallest when forecast twice)
   */
  public record Point(
      String version, LocalDate date, int horizonStep, double forecast, double actual) {}

  public RealizedForecasts {
    series = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(series));
  }

  public List<Point> of(String id) {
    return series.getOrDefault(id, List.of());
  }

  public String toJson() {
    try {
      return BundleJson.mapper().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The file of a bundle directory, empty for bundles without one. */
  public static Optional<RealizedForecasts> read(Path bundleDir) {
    Path file = bundleDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(BundleJson.mapper().readValue(file.toFile(), RealizedForecasts.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
