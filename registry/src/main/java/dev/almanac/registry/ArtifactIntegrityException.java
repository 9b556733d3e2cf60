package dev.almanac.registry;

/**
 * Downloaded artifacts do not match their manifest (checksum or size differs, a file or the
 * manifest is missing): the upload was partial or the objects were changed after it.
 */
public class ArtifactIntegrityException extends RegistryException {
  private static final long serialVersionUID = 1L;

  public ArtifactIntegrityException(String message) {
    super(message);
  }
}
