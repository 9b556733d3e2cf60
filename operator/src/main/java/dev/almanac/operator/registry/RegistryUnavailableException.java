package dev.almanac.operator.registry;

/** The registry could not be reached or answered with a server error; retry later. */
public class RegistryUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
