package dev.almanac.server.api;

import dev.almanac.server.model.BadRequestException;
import dev.almanac.server.model.DataType;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The binary tensor data extension of the KServe/Triton HTTP protocol, which tritonclient uses by
 * default: the body is the JSON request ({@code Inference-Header-Content-Length} bytes) followed by
 * the raw little-endian, row-major bytes of every input that declares {@code
 * parameters.binary_data_size}, in the order of the {@code inputs} array. Replies put binary
 * outputs after the JSON the same way.
 */
final class BinaryTensorData {
  static final String HEADER = "Inference-Header-Content-Length";
  static final CharSequence HEADER_NAME = HttpHeaders.createOptimized(HEADER);

  /** The JSON part of a request and the bytes after it (empty without the extension). */
  record Body(Buffer json, Buffer binary) {}

  private final Buffer binary;
  private int offset;

  private BinaryTensorData(Buffer binary) {
    this.binary = binary;
  }

  /**
   * Splits a request body by its {@value #HEADER} header (null: the whole body is JSON).
   *
   * @throws BadRequestException when the header is not a length within the body
   */
  static Body split(Buffer body, String headerLength) {
    if (headerLength == null) {
      return new Body(body, Buffer.buffer());
    }
    int n;
    try {
      n = Integer.parseInt(headerLength.trim());
    } catch (NumberFormatException e) {
      throw new BadRequestException(HEADER + " must be a byte count, got '" + headerLength + "'");
    }
    if (n < 0 || n > body.length()) {
      throw new BadRequestException(
          HEADER + " is " + n + " but the body has " + body.length() + " bytes");
    }
    return new Body(body.slice(0, n), body.slice(n, body.length()));
  }

  /** Reads the inputs' binary parts in order, each once. */
  static BinaryTensorData reader(Buffer binary) {
    return new BinaryTensorData(binary);
  }

  /** Bytes per element on the wire. */
  static int width(DataType type) {
    return switch (type) {
      case FP32, INT32 -> 4;
      case FP64, INT64 -> 8;
      case BOOL -> 1;
    };
  }

  /**
   * The next {@code size} bytes as a tensor's data of {@code elements} values.
   *
   * @throws BadRequestException when the size does not fit the shape, the body is too short, or a
   *     float is not finite
   */
  Object next(long size, DataType type, long elements, String where) {
    if (size != elements * width(type)) {
      throw new BadRequestException(
          where
              + ": binary_data_size "
              + size
              + " does not match its shape: "
              + elements
              + " "
              + type
              + " values take "
              + elements * width(type)
              + " bytes");
    }
    if (offset + size > binary.length()) {
      throw new BadRequestException(
          where
              + ": binary_data_size "
              + size
              + " runs past the end of the body ("
              + (binary.length() - offset)
              + " bytes left)");
    }
    ByteBuffer b =
        ByteBuffer.wrap(binary.getBytes(offset, offset + (int) size))
            .order(ByteOrder.LITTLE_ENDIAN);
    offset += (int) size;
    int n = (int) elements;
    switch (type) {
      case FP32 -> {
        float[] a = new float[n];
        b.asFloatBuffer().get(a);
        for (int i = 0; i < n; i++) {
          if (!Float.isFinite(a[i])) {
            throw new BadRequestException(
                where + " value " + i + " is " + a[i] + "; only finite numbers are accepted");
          }
        }
        return a;
      }
      case FP64 -> {
        double[] a = new double[n];
        b.asDoubleBuffer().get(a);
        for (int i = 0; i < n; i++) {
          if (!Double.isFinite(a[i])) {
            throw new BadRequestException(
                where + " value " + i + " is " + a[i] + "; only finite numbers are accepted");
          }
        }
        return a;
      }
      case INT64 -> {
        long[] a = new long[n];
        b.asLongBuffer().get(a);
        return a;
      }
      case INT32 -> {
        int[] a = new int[n];
        b.asIntBuffer().get(a);
        return a;
      }
      default -> {
        boolean[] a = new boolean[n];
        for (int i = 0; i < n; i++) {
          a[i] = b.get() != 0;
        }
        return a;
      }
    }
  }

  /** Bytes not claimed by any input: a client bug worth naming rather than ignoring. */
  void requireConsumed() {
    if (offset != binary.length()) {
      throw new BadRequestException(
          "the body has "
              + (binary.length() - offset)
              + " bytes after the JSON that no input's "
              + "binary_data_size claims");
    }
  }
}
