package dev.almanac.registry;

/**
 * A model version that Almanac cannot serve: its {@code MLmodel} has no {@code onnx} flavor (a
 * pickled scikit-learn or PyTorch model, say). Not a failure of the registry: an answer about the
 * version, which stays where it is.
 */
public class NoOnnxFlavorException extends RegistryException {
  private static final long serialVersionUID = 1L;

  public NoOnnxFlavorException(String message) {
    super(message);
  }
}
