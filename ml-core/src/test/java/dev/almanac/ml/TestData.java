package dev.almanac.ml;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared data sets (surefire sets {@code almanac.data.dir}). */
public final class TestData {
  private TestData() {}

  public static Path dir() {
    String p = System.getProperty("almanac.data.dir");
    Path d = p != null ? Path.of(p) : Path.of("../../shared/data");
    if (!Files.isDirectory(d)) {
      d = Path.of("/work/shared/data");
    }
    return d;
  }

  public static Path owidSlim() {
    return dir().resolve("owid-covid/owid-covid-slim.csv.gz");
  }

  public static Path owidFull() {
    return dir().resolve("owid-covid/owid-covid-data.csv.gz");
  }

  public static Path symptoms(String file) {
    return dir().resolve("disease-symptoms").resolve(file);
  }
}
