package dev.almanac.registry;

import java.nio.file.Path;

/**
 * Moves single files between local disk and one kind of artifact URI ({@code s3://}, {@code
 * mlflow-artifacts:}).
 */
public interface ArtifactStore extends AutoCloseable {

  /** Whether this store serves URIs like {@code uri}. */
  boolean handles(String uri);

  /** Writes {@code file} to {@code uri}, replacing what is there. */
  void upload(Path file, String uri);

  /** Reads {@code uri} into {@code target} (replaced if present). */
  void download(String uri, Path target);

  /** Whether a file exists at {@code uri}. */
  boolean exists(String uri);

  /**
   * Every file under the directory {@code uri}, recursively, with the size the store records. Used
   * for directories without an Almanac manifest (models logged by MLflow's Python client).
   */
  default java.util.List<ArtifactFile> list(String uri) {
    throw new RegistryException("listing " + uri + " is not supported by " + getClass().getName());
  }

  @Override
  default void close() {}
}
