package dev.almanac.charttests;

import dev.almanac.testbed.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Paths of the repository parts these tests check. */
final class Project {
  private Project() {}

  static Path root() {
    return Tools.projectDir();
  }

  static Path chart() {
    return root().resolve("helm/almanac");
  }

  static Path examples() {
    return root().resolve("examples");
  }

  static Path docs() {
    return root().resolve("docs");
  }

  static Path alertRules() {
    return chart().resolve("files/alerts.rules.yaml");
  }

  static Path dashboard() {
    return chart().resolve("files/dashboard.json");
  }

  /** The chart's example values files, {@code ci/*-values.yaml}. */
  static List<Path> ciValues() {
    return list(chart().resolve("ci"), p -> p.getFileName().toString().endsWith("-values.yaml"));
  }

  static List<Path> list(Path dir, java.util.function.Predicate<Path> filter) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).filter(filter).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A test resource as text. */
  static String resource(String name) {
    try (var in = Project.class.getResourceAsStream(name.startsWith("/") ? name : "/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
