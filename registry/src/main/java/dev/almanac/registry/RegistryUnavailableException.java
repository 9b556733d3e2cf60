package dev.almanac.registry;

/**
 * MLflow or the artifact store could not serve the call: connection refused, timeout, or a 5xx/429
 * answer that persisted through the retries. Usually worth retrying later (requeue), never a reason
 * to give up on a resource.
 */
public class RegistryUnavailableException extends RegistryException {
  private static final long serialVersionUID = 1L;
  private final int status;

  /** {@code status} is the last HTTP status, or 0 when no answer came. */
  public RegistryUnavailableException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The last HTTP status, or 0 when the server did not answer (connect error, timeout). */
  public int status() {
    return status;
  }
}
