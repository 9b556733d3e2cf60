package dev.almanac.server.api;

import dev.almanac.server.model.Tensor;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An OIP v2 infer reply written straight into one byte array: the JSON, then the bytes of the
 * outputs sent with the binary tensor data extension. Writing it directly skips the per-reply JSON
 * tree, its databind walk, the copies between buffers and a String per float (see {@link FloatText}).
 *
 * @param body the whole reply body
 * @param jsonLength bytes of JSON at its start ({@code Inference-Header-Content-Length} when binary outputs follow)
 */
record InferReply(Buffer body, int jsonLength) {

  /**
   * @param wanted the outputs to include, null for all
   * @param binary the outputs whose data goes after the JSON as little-endian bytes
   */
  static InferReply write(String model, String version, Object id, List<Tensor> outputs, Set<String> wanted, Set<String> binary) {
    // plain loops: async-profiler put ~2% of binary-infer server CPU on the two streams these replace
    List<Tensor> sent = outputs;
    if (wanted != null) {
      sent = new ArrayList<>(wanted.size());
      for (Tensor t : outputs) {
        if (wanted.contains(t.name())) {
          sent.add(t);
        }
      }
    }
    int values = 0;
    int binaryBytes = 0;
    for (Tensor t : sent) {
      values += Tensor.length(t.data());
      if (binary.contains(t.name())) {
        binaryBytes += Math.toIntExact(binarySize(t));
      }
    }
    JsonBytes json = new JsonBytes(256 + 16 * values + binaryBytes);
    json.raw("{\"model_name\":").string(model).raw(",\"model_version\":").string(version);
    if (id != null) {
      json.raw(",\"id\":").string(id.toString());
    }
    json.raw(",\"outputs\":[");
    for (Tensor t : sent) {
      writeOutput(json, t, binary.contains(t.name()));
      json.raw(',');
    }
    json.endArray().raw('}');
    int jsonLength = json.size();
    if (!binary.isEmpty()) {
      for (Tensor t : sent) {
        if (binary.contains(t.name())) {
          writeBytes(json.appendLittleEndian((int) binarySize(t)), t.data());
        }
      }
    }
    return new InferReply(Buffer.buffer(Unpooled.wrappedBuffer(json.array(), 0, json.size())), jsonLength);
  }

  private static void writeOutput(JsonBytes json, Tensor t, boolean asBytes) {
    json.raw("{\"name\":").string(t.name()).raw(",\"datatype\":").string(t.type().name()).raw(",\"shape\":[");
    for (long d : t.shape()) {
      json.number(d).raw(',');
    }
    json.endArray();
    if (asBytes) {
      json.raw(",\"parameters\":{\"binary_data_size\":")
          .number(binarySize(t)).raw('}');
    } else {
      json.raw(",\"data\":[");
      writeData(json, t.data());
      json.endArray();
    }
    json.raw('}');
  }

  /** Bytes of the tensor's data with the binary tensor data extension. */
  private static long binarySize(Tensor t) {
    return (long) Tensor.length(t.data()) * BinaryTensorData.width(t.type());
  }

  /** Each value followed by a comma; {@link JsonBytes#endArray} turns the last one into the bracket. */
  private static void writeData(JsonBytes json, Object data) {
    if (data instanceof float[] a) {
      for (float v : a) {
        json.number(v).raw(',');
      }
    } else if (data instanceof double[] a) {
      for (double v : a) {
        json.number(v).raw(',');
      }
    } else if (data instanceof long[] a) {
      for (long v : a) {
        json.number(v).raw(',');
      }
    } else if (data instanceof int[] a) {
      for (int v : a) {
        json.number(v).raw(',');
      }
    } else {
      for (boolean v : (boolean[]) data) {
        json.bool(v).raw(',');
      }
    }
  }

  private static void writeBytes(ByteBuffer buf, Object data) {
    if (data instanceof float[] a) {
      buf.asFloatBuffer().put(a);
    } else if (data instanceof double[] a) {
      buf.asDoubleBuffer().put(a);
    } else if (data instanceof long[] a) {
      buf.asLongBuffer().put(a);
    } else if (data instanceof int[] a) {
      buf.asIntBuffer().put(a);
    } else {
      for (boolean v : (boolean[]) data) {
        buf.put((byte) (v ? 1 : 0));
      }
    }
  }
}
