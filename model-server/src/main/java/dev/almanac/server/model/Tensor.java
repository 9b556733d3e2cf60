package dev.almanac.server.model;

import java.util.Arrays;

/**
 * One named tensor, row-major. {@code data} is a {@code float[]} (FP32), {@code double[]} (FP64),
 * {@code long[]} (INT64), {@code int[]} (INT32) or {@code boolean[]} (BOOL).
 */
public record Tensor(String name, DataType type, long[] shape, Object data) {
  public Tensor {
    long n = elements(shape);
    if (n != length(data)) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "' has shape "
              + Arrays.toString(shape)
              + " ("
              + n
              + " elements) but "
              + length(data)
              + " values");
    }
  }

  public static Tensor ofFloats(String name, float[] data, long... shape) {
    return new Tensor(name, DataType.FP32, shape, data);
  }

  public static long elements(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  public long rows() {
    return shape.length == 0 ? 1 : shape[0];
  }

  public float[] floats() {
    return (float[]) data;
  }

  public static int length(Object data) {
    if (data instanceof float[] a) {
      return a.length;
    } else if (data instanceof double[] a) {
      return a.length;
    } else if (data instanceof long[] a) {
      return a.length;
    } else if (data instanceof int[] a) {
      return a.length;
    } else if (data instanceof boolean[] a) {
      return a.length;
    }
    throw new IllegalArgumentException(
        "unsupported tensor data " + (data == null ? "null" : data.getClass()));
  }

  /** Rows {@code [from, from+count)} along the first dimension. */
  public Tensor slice(long from, long count) {
    if (shape.length == 0) {
      return this;
    }
    long rowLen = shape[0] == 0 ? 0 : Tensor.length(data) / shape[0];
    int a = Math.toIntExact(from * rowLen);
    int b = Math.toIntExact((from + count) * rowLen);
    long[] s = shape.clone();
    s[0] = count;
    Object d;
    if (data instanceof float[] x) {
      d = Arrays.copyOfRange(x, a, b);
    } else if (data instanceof double[] x) {
      d = Arrays.copyOfRange(x, a, b);
    } else if (data instanceof long[] x) {
      d = Arrays.copyOfRange(x, a, b);
    } else if (data instanceof int[] x) {
      d = Arrays.copyOfRange(x, a, b);
    } else {
      d = Arrays.copyOfRange((boolean[]) data, a, b);
    }
    return new Tensor(name, type, s, d);
  }
}
