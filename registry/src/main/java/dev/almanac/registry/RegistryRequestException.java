package dev.almanac.registry;

/**
 * The server refused the call (4xx): carries the HTTP status, MLflow's {@code error_code} (or the
 * S3 error code) and the server's message. Retrying the same call will not help.
 */
public class RegistryRequestException extends RegistryException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String errorCode;
  private final String serverMessage;

  public RegistryRequestException(
      String message, int status, String errorCode, String serverMessage) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
    this.serverMessage = serverMessage;
  }

  public int status() {
    return status;
  }

  /**
   * MLflow's {@code error_code} (e.g. {@code INVALID_PARAMETER_VALUE}) or S3's code; "" when
   * absent.
   */
  public String errorCode() {
    return errorCode;
  }

  public String serverMessage() {
    return serverMessage;
  }
}
