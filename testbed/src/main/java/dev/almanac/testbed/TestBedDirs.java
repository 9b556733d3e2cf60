package dev.almanac.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where test-bed servers keep their state (a temp dir) and their logs ({@code
 * target/testbed-logs}).
 */
final class TestBedDirs {
  private TestBedDirs() {}

  static Path logDir() {
    var target = Path.of("target");
    var dir =
        Files.isDirectory(target)
            ? target.resolve("testbed-logs")
            : Path.of(System.getProperty("java.io.tmpdir"), "almanac-testbed-logs");
    try {
      return Files.createDirectories(dir).toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create test-bed log dir " + dir, e);
    }
  }

  static Path newStateDir(String prefix) {
    try {
      return Files.createTempDirectory("almanac-" + prefix + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp dir for " + prefix, e);
    }
  }

  static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a leftover temp dir is harmless
    }
  }
}
