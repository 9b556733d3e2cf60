package dev.almanac.registry;

import java.util.Set;

/**
 * The registry has no stages: it refused a stage call ({@code transition-stage}, {@code
 * get-latest-versions}) as a registry does that only knows aliases (Databricks Unity Catalog
 * answers {@code 404 ENDPOINT_NOT_FOUND}; others {@code FEATURE_DISABLED}, 405 or 501). Use
 * aliases.
 */
public class StagesUnsupportedException extends RegistryRequestException {
  private static final long serialVersionUID = 1L;
  private static final Set<String> REFUSAL_CODES =
      Set.of("ENDPOINT_NOT_FOUND", "FEATURE_DISABLED", "NOT_IMPLEMENTED");

  public StagesUnsupportedException(String message, RegistryRequestException cause) {
    super(message, cause.status(), cause.errorCode(), cause.serverMessage());
    initCause(cause);
  }

  /**
   * Whether {@code e}, the answer to a stage call, says "no such method" rather than "no such
   * model": a missing model is {@code RESOURCE_DOES_NOT_EXIST} and stays a {@link
   * ResourceNotFoundException}.
   */
  static boolean isRefusal(RegistryRequestException e) {
    if ("RESOURCE_DOES_NOT_EXIST".equals(e.errorCode())) {
      return false;
    }
    return REFUSAL_CODES.contains(e.errorCode())
        || e.status() == 404
        || e.status() == 405
        || e.status() == 501;
  }
}
