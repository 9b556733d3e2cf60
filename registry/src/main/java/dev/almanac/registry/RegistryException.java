package dev.almanac.registry;

/**
 * Base of every failure of MLflow or artifact-store access. Unchecked: callers decide where to
 * handle it.
 */
public class RegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RegistryException(String message) {
    super(message);
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
