package dev.almanac.registry;

/** The experiment, run, registered model, version, alias or artifact does not exist. */
public class ResourceNotFoundException extends RegistryRequestException {
  private static final long serialVersionUID = 1L;

  public ResourceNotFoundException(
      String message, int status, String errorCode, String serverMessage) {
    super(message, status, errorCode, serverMessage);
  }
}
