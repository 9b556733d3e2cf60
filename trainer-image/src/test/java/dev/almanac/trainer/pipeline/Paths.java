package dev.almanac.trainer.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Shared data and anchor locations for the trainer tests (surefire sets {@code almanac.data.dir}).
 */
public final class Paths {
  private Paths() {}

  public static Path data() {
    String p = System.getProperty("almanac.data.dir");
    Path d = p != null ? Path.of(p) : Path.of("/work/shared/data");
    return Files.isDirectory(d) ? d : Path.of("/work/shared/data");
  }

  public static Path owidSlim() {
    return data().resolve("owid-covid/owid-covid-slim.csv.gz");
  }

  public static Path anchorResults() {
    return data().getParent().resolve("anchors/forecast-baseline/results.json");
  }
}
