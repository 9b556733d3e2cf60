package dev.almanac.ml.onnx;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One named tensor of a model signature. {@code dtype} uses MLflow/numpy names (float32, int64);
 * {@code shape} uses -1 for a variable dimension (the batch).
 */
public record TensorSpec(String name, String dtype, List<Long> shape) {
  @JsonCreator
  public TensorSpec(
      @JsonProperty("name") String name,
      @JsonProperty("dtype") String dtype,
      @JsonProperty("shape") List<Long> shape) {
    this.name = name;
    this.dtype = dtype;
    this.shape = List.copyOf(shape);
  }

  /** KServe V2 datatype name of {@link #dtype} (FP32, INT64, ...). */
  public String kserveDatatype() {
    return switch (dtype) {
      case "float32" -> "FP32";
      case "float64" -> "FP64";
      case "int64" -> "INT64";
      case "int32" -> "INT32";
      case "bool" -> "BOOL";
      default -> dtype.toUpperCase(java.util.Locale.ROOT);
    };
  }
}
