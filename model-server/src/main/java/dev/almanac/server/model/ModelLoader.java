package dev.almanac.server.model;

/**
 * Turns a model source (a bundle directory, {@code models:/name/version}, {@code
 * models:/name@alias}) into a loaded, not yet warmed-up model.
 */
@FunctionalInterface
public interface ModelLoader {
  /**
   * @param source what to load
   * @param name the name to serve it under, or null to take the bundle's own name
   * @throws ModelLoadException naming the source and what is wrong with it
   */
  ServedModel load(String source, String name) throws ModelLoadException;
}
