package dev.almanac.server.bundle;

import dev.almanac.server.model.ModelLoadException;
import java.nio.file.Path;

/** Turns a model source into a local bundle directory (downloading it first when it is remote). */
@FunctionalInterface
public interface ModelSourceResolver {
  /**
   * @return the bundle directory and the name/version the source itself implies (the registry's),
   *     which win over what the bundle says
   */
  Resolved resolve(String source) throws ModelLoadException;

  record Resolved(Path dir, String name, String version) {}

  /** Local directories only; {@code models:/} URIs fail with a clear message. */
  static ModelSourceResolver localOnly() {
    return source -> {
      if (source.startsWith("models:/")) {
        throw new ModelLoadException(
            "cannot load " + source + ": this server was started without registry access");
      }
      return new Resolved(Path.of(source), null, null);
    };
  }
}
