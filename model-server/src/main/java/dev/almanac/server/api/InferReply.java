package dev.almanac.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.almanac.server.model.Tensor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An OIP v2 infer reply: the JSON written by Jackson's generator, then the bytes of the outputs
 * sent with the binary tensor data extension, all in one buffer.
 *
 * @param body the whole reply body
 * @param jsonLength bytes of JSON at its start ({@code Inference-Header-Content-Length} when binary
 *     outputs follow)
 */
record InferReply(Buffer body, int jsonLength) {

  /**
   * @param id the request's id, null for none
   * @param wanted the outputs to include, null for all
   * @param binary the outputs whose data goes after the JSON as little-endian bytes
   */
  static InferReply write(
      String model,
      String version,
      String id,
      List<Tensor> outputs,
      Set<String> wanted,
      Set<String> binary) {
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
    for (Tensor t : sent) {
      values += Tensor.length(t.data());
    }
    ByteBuf buf = Unpooled.buffer(256 + 16 * values);
    try (JsonGenerator g =
        JsonBody.JSON.createGenerator((OutputStream) new ByteBufOutputStream(buf))) {
      g.writeStartObject();
      g.writeStringField("model_name", model);
      g.writeStringField("model_version", version);
      if (id != null) {
        g.writeStringField("id", id);
      }
      g.writeArrayFieldStart("outputs");
      for (Tensor t : sent) {
        writeOutput(g, t, binary.contains(t.name()));
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not expected: the target is memory
    }
    int jsonLength = buf.writerIndex();
    for (Tensor t : sent) {
      if (binary.contains(t.name())) {
        int n = Math.toIntExact(binarySize(t));
        buf.ensureWritable(n);
        writeBytes(buf.nioBuffer(buf.writerIndex(), n).order(ByteOrder.LITTLE_ENDIAN), t.data());
        buf.writerIndex(buf.writerIndex() + n);
      }
    }
    return new InferReply(Buffer.buffer(buf), jsonLength);
  }

  private static void writeOutput(JsonGenerator g, Tensor t, boolean asBytes) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", t.name());
    g.writeStringField("datatype", t.type().name());
    g.writeFieldName("shape");
    g.writeArray(t.shape(), 0, t.shape().length);
    if (asBytes) {
      g.writeObjectFieldStart("parameters");
      g.writeNumberField("binary_data_size", binarySize(t));
      g.writeEndObject();
    } else {
      g.writeFieldName("data");
      writeData(g, t.data());
    }
    g.writeEndObject();
  }

  /** Bytes of the tensor's data with the binary tensor data extension. */
  private static long binarySize(Tensor t) {
    return (long) Tensor.length(t.data()) * BinaryTensorData.width(t.type());
  }

  private static void writeData(JsonGenerator g, Object data) throws IOException {
    if (data instanceof double[] a) {
      g.writeArray(a, 0, a.length);
    } else if (data instanceof long[] a) {
      g.writeArray(a, 0, a.length);
    } else if (data instanceof int[] a) {
      g.writeArray(a, 0, a.length);
    } else {
      g.writeStartArray();
      if (data instanceof float[] a) {
        for (float v : a) {
          g.writeNumber(v);
        }
      } else {
        for (boolean v : (boolean[]) data) {
          g.writeBoolean(v);
        }
      }
      g.writeEndArray();
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
