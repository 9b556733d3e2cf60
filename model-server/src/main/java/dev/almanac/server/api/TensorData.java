package dev.almanac.server.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.almanac.server.model.BadRequestException;
import dev.almanac.server.model.DataType;
import java.io.IOException;
import java.util.Arrays;

/**
 * An OIP v2 tensor's {@code data}, row-major, flat or nested, read from the parser straight into
 * the array its datatype needs ({@code float[]} for FP32 and so on, see {@link
 * dev.almanac.server.model.Tensor}). Errors name the value by its flat index ({@code inputs[0]
 * ('features') data[131]}).
 */
final class TensorData {
  static final int MAX_DEPTH = 32;
  static final long MAX_ELEMENTS = 50_000_000L;

  private final JsonParser p;
  private final String where;
  private int depth; // arrays open inside the data's own
  private int count; // values read

  private TensorData(JsonParser p, String where) {
    this.p = p;
    this.where = where;
  }

  /**
   * @param p at the data's array start; left at its end
   * @param capacity the values expected (from the shape when known), to size the array once
   */
  static Object read(JsonParser p, DataType type, int capacity, String where) throws IOException {
    TensorData d = new TensorData(p, where);
    int initial = Math.max(capacity, 0);
    return switch (type) {
      case FP32 -> d.floats(initial);
      case FP64 -> d.doubles(initial);
      case INT64 -> d.longs(initial);
      case INT32 -> d.ints(initial);
      case BOOL -> d.booleans(initial);
    };
  }

  /** The next value's token, stepping through nested arrays; null after the data's last value. */
  private JsonToken next() throws IOException {
    while (true) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_ARRAY) {
        if (++depth > MAX_DEPTH) {
          throw new BadRequestException(where + ": 'data' is nested too deeply");
        }
      } else if (t == JsonToken.END_ARRAY) {
        if (depth-- == 0) {
          return null;
        }
      } else {
        if (++count > MAX_ELEMENTS) {
          throw new BadRequestException(where + ": 'data' has too many values");
        }
        return t;
      }
    }
  }

  private String at(int i) {
    return where + " data[" + i + "]";
  }

  private void requireNumber(JsonToken t, int i) {
    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
      throw new BadRequestException(at(i) + " must be a number, got " + JsonBody.kind(t));
    }
  }

  private static int grown(int n) {
    return Math.max(16, n * 2);
  }

  private float[] floats(int capacity) throws IOException {
    float[] a = new float[capacity];
    int n = 0;
    for (JsonToken t; (t = next()) != null; n++) {
      requireNumber(t, n);
      float v = p.getFloatValue();
      if (!Float.isFinite(v)) {
        throw new BadRequestException(
            at(n) + " = " + JsonBody.describe(p) + " does not fit in FP32");
      }
      if (n == a.length) {
        a = Arrays.copyOf(a, grown(n));
      }
      a[n] = v;
    }
    return n == a.length ? a : Arrays.copyOf(a, n);
  }

  private double[] doubles(int capacity) throws IOException {
    double[] a = new double[capacity];
    int n = 0;
    for (JsonToken t; (t = next()) != null; n++) {
      requireNumber(t, n);
      double v = p.getDoubleValue();
      if (!Double.isFinite(v)) {
        throw new BadRequestException(at(n) + " must be finite, got " + JsonBody.describe(p));
      }
      if (n == a.length) {
        a = Arrays.copyOf(a, grown(n));
      }
      a[n] = v;
    }
    return n == a.length ? a : Arrays.copyOf(a, n);
  }

  private long integer(JsonToken t, int i, long min, long max, DataType type) throws IOException {
    Long v = JsonBody.integral(p);
    if (v == null) {
      throw new BadRequestException(
          at(i)
              + " must be an integer, got "
              + (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT
                  ? JsonBody.describe(p)
                  : JsonBody.kind(t)));
    }
    if (v < min || v > max) {
      throw new BadRequestException(at(i) + " = " + v + " does not fit in " + type);
    }
    return v;
  }

  private long[] longs(int capacity) throws IOException {
    long[] a = new long[capacity];
    int n = 0;
    for (JsonToken t; (t = next()) != null; n++) {
      long v = integer(t, n, Long.MIN_VALUE, Long.MAX_VALUE, DataType.INT64);
      if (n == a.length) {
        a = Arrays.copyOf(a, grown(n));
      }
      a[n] = v;
    }
    return n == a.length ? a : Arrays.copyOf(a, n);
  }

  private int[] ints(int capacity) throws IOException {
    int[] a = new int[capacity];
    int n = 0;
    for (JsonToken t; (t = next()) != null; n++) {
      int v = (int) integer(t, n, Integer.MIN_VALUE, Integer.MAX_VALUE, DataType.INT32);
      if (n == a.length) {
        a = Arrays.copyOf(a, grown(n));
      }
      a[n] = v;
    }
    return n == a.length ? a : Arrays.copyOf(a, n);
  }

  private boolean[] booleans(int capacity) throws IOException {
    boolean[] a = new boolean[capacity];
    int n = 0;
    for (JsonToken t; (t = next()) != null; n++) {
      if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
        throw new BadRequestException(at(n) + " must be a boolean, got " + JsonBody.kind(t));
      }
      if (n == a.length) {
        a = Arrays.copyOf(a, grown(n));
      }
      a[n] = t == JsonToken.VALUE_TRUE;
    }
    return n == a.length ? a : Arrays.copyOf(a, n);
  }
}
