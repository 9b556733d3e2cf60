package dev.almanac.operator.registry;

/**
 * The registry has no stages (a Unity Catalog-style registry refuses them): promotion goes by alias
 * only, and a ModelDeployment that follows a stage cannot be resolved there.
 */
public class StagesRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StagesRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
