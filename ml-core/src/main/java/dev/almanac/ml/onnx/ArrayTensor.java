package dev.almanac.ml.onnx;

/**
 * A named tensor as a flat row-major Java array: {@code float[]}, {@code double[]}, {@code long[]},
 * {@code int[]} or {@code boolean[]} (ONNX FLOAT, DOUBLE, INT64, INT32, BOOL).
 */
public record ArrayTensor(String name, long[] shape, Object data) {
  public ArrayTensor {
    if (!(data instanceof float[]
        || data instanceof double[]
        || data instanceof long[]
        || data instanceof int[]
        || data instanceof boolean[])) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "': unsupported data "
              + (data == null ? "null" : data.getClass().getSimpleName()));
    }
  }

  /** The ml-core dtype name (float32, float64, int64, int32, bool). */
  public String dtype() {
    if (data instanceof float[]) {
      return "float32";
    } else if (data instanceof double[]) {
      return "float64";
    } else if (data instanceof long[]) {
      return "int64";
    } else if (data instanceof int[]) {
      return "int32";
    }
    return "bool";
  }
}
