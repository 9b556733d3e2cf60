package dev.almanac.server.model;

import java.util.List;

/** A loaded model seen as tensors in, tensors out (thread-safe: the ONNX Runtime session is). */
public interface TensorModel extends AutoCloseable {
  List<TensorSpec> inputs();

  List<TensorSpec> outputs();

  /** The runtime behind the model, reported as the KServe {@code platform}. */
  String platform();

  /**
   * Runs one batch; {@code inputs} follow {@link #inputs()} order. Returns every output, in {@link
   * #outputs()} order.
   */
  List<Tensor> run(List<Tensor> inputs);

  @Override
  void close();
}
