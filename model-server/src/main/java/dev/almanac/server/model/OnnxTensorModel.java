package dev.almanac.server.model;

import dev.almanac.ml.onnx.ArrayTensor;
import dev.almanac.ml.onnx.OnnxModel;
import java.util.ArrayList;
import java.util.List;

/**
 * A bundle's ONNX model seen as typed tensors (KServe V2). The session itself is ml-core's {@link
 * OnnxModel} (loaded through DJL's OnnxRuntime engine, single-threaded operators), the same
 * instance the bundle's forecaster or classifier uses, so a model file is opened once per version.
 */
public final class OnnxTensorModel implements TensorModel {
  private final OnnxModel model;
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;

  public OnnxTensorModel(OnnxModel model) {
    this.model = model;
    this.inputs = specs(model.inputs());
    this.outputs = specs(model.outputs());
  }

  private static List<TensorSpec> specs(List<dev.almanac.ml.onnx.TensorSpec> specs) {
    List<TensorSpec> out = new ArrayList<>(specs.size());
    for (dev.almanac.ml.onnx.TensorSpec s : specs) {
      out.add(
          new TensorSpec(
              s.name(), type(s.dtype()), s.shape().stream().mapToLong(Long::longValue).toArray()));
    }
    return List.copyOf(out);
  }

  private static DataType type(String dtype) {
    return switch (dtype) {
      case "float32" -> DataType.FP32;
      case "float64" -> DataType.FP64;
      case "int64" -> DataType.INT64;
      case "int32" -> DataType.INT32;
      case "bool" -> DataType.BOOL;
      default ->
          throw new IllegalArgumentException(
              "ONNX tensor type " + dtype + " is not supported by the server");
    };
  }

  @Override
  public List<TensorSpec> inputs() {
    return inputs;
  }

  @Override
  public List<TensorSpec> outputs() {
    return outputs;
  }

  @Override
  public String platform() {
    return "onnxruntime_onnx";
  }

  @Override
  public List<Tensor> run(List<Tensor> in) {
    List<ArrayTensor> feeds = new ArrayList<>(in.size());
    for (Tensor t : in) {
      feeds.add(new ArrayTensor(t.name(), t.shape(), t.data()));
    }
    List<ArrayTensor> res = model.run(feeds);
    List<Tensor> out = new ArrayList<>(res.size());
    for (int i = 0; i < res.size(); i++) {
      ArrayTensor a = res.get(i);
      out.add(new Tensor(a.name(), outputs.get(i).type(), a.shape(), a.data()));
    }
    return out;
  }

  /** Closes the session (idempotent; the bundle that shares it closes it too). */
  @Override
  public void close() {
    model.close();
  }
}
