package dev.almanac.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Builds small model directories for tests and compares directory trees. */
final class ModelFiles {
  private ModelFiles() {}

  /**
   * An MLflow-style model dir: MLmodel, a binary model of {@code modelBytes}, a nested JSON file.
   */
  static Path modelDir(Path parent, int modelBytes) throws IOException {
    var dir = Files.createDirectories(parent.resolve("model"));
    Files.writeString(
        dir.resolve("MLmodel"),
        """
        flavors:
          onnx:
            onnx_version: 1.19.0
            data: model.onnx
        """);
    var bytes = new byte[modelBytes];
    new Random(42).nextBytes(bytes);
    Files.write(dir.resolve("model.onnx"), bytes);
    Files.createDirectories(dir.resolve("almanac"));
    Files.writeString(
        dir.resolve("almanac/bundle.json"), "{\"task\": \"forecast\", \"horizon\": 28}");
    return dir;
  }

  /** Relative path → content, for equality checks of two trees. */
  static Map<String, String> contents(Path dir) throws IOException {
    var map = new TreeMap<String, String>();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (var p : paths.filter(Files::isRegularFile).toList()) {
        var bytes = Files.readAllBytes(p);
        map.put(
            dir.relativize(p).toString(),
            bytes.length
                + ":"
                + java.util.Arrays.hashCode(bytes)
                + (bytes.length < 200 ? ":" + new String(bytes, StandardCharsets.UTF_8) : ""));
      }
    }
    return map;
  }

  static void delete(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (var p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
