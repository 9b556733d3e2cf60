package dev.almanac.registry;

/** 401/403: missing or wrong credentials (MLflow basic auth or token, S3 keys). */
public class RegistryAccessDeniedException extends RegistryRequestException {
  private static final long serialVersionUID = 1L;

  public RegistryAccessDeniedException(
      String message, int status, String errorCode, String serverMessage) {
    super(message, status, errorCode, serverMessage);
  }
}
