package dev.almanac.operator.registry;

import dev.almanac.registry.RegistryException;

/**
 * The registry has no stages (a Unity Catalog-style registry refuses them): promotion goes by alias
 * only, and a ModelDeployment that follows a stage cannot be resolved there. One of the registry
 * module's {@link RegistryException}s, as the port sees it (the registry client throws {@code
 * StagesUnsupportedException}).
 */
public class StagesRefusedException extends RegistryException {
  private static final long serialVersionUID = 1L;

  public StagesRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
