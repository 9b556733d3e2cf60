package dev.almanac.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.almanac.server.model.Tensor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.jackson.DatabindCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An OIP v2 infer reply written straight into one buffer: the JSON, then the bytes of the outputs
 * sent with the binary tensor data extension. Streaming it skips the per-reply JSON tree, its
 * databind walk and the copies between buffers.
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
    for (Tensor t : sent) {
      values += Tensor.length(t.data());
    }
    ByteBuf buf = Unpooled.buffer(256 + 16 * values);
    // typed as OutputStream: ByteBufOutputStream is a DataOutput too, which has its own createGenerator
    OutputStream out = new ByteBufOutputStream(buf);
    // Vert.x's shared mapper: the same number formatting (Schubfach) as every other JSON reply
    try (JsonGenerator g = DatabindCodec.mapper().getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model_name", model);
      g.writeStringField("model_version", version);
      if (id != null) {
        g.writeStringField("id", id.toString());
      }
      g.writeArrayFieldStart("outputs");
      for (Tensor t : sent) {
        writeOutput(g, t, binary.contains(t.name()));
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory
    }
    int jsonLength = buf.writerIndex();
    if (!binary.isEmpty()) {
      for (Tensor t : sent) {
        if (binary.contains(t.name())) {
          writeBytes(buf, t.data());
        }
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
      g.writeNumberField("binary_data_size", (long) Tensor.length(t.data()) * BinaryTensorData.width(t.type()));
      g.writeEndObject();
    } else {
      g.writeFieldName("data");
      writeData(g, t.data());
    }
    g.writeEndObject();
  }

  private static void writeData(JsonGenerator g, Object data) throws IOException {
    if (data instanceof float[] a) {
      g.writeStartArray(a, a.length);
      for (float v : a) {
        g.writeNumber(v);
      }
      g.writeEndArray();
    } else if (data instanceof double[] a) {
      g.writeArray(a, 0, a.length);
    } else if (data instanceof long[] a) {
      g.writeArray(a, 0, a.length);
    } else if (data instanceof int[] a) {
      g.writeArray(a, 0, a.length);
    } else {
      boolean[] a = (boolean[]) data;
      g.writeStartArray(a, a.length);
      for (boolean v : a) {
        g.writeBoolean(v);
      }
      g.writeEndArray();
    }
  }

  private static void writeBytes(ByteBuf buf, Object data) {
    if (data instanceof float[] a) {
      for (float v : a) {
        buf.writeFloatLE(v);
      }
    } else if (data instanceof double[] a) {
      for (double v : a) {
        buf.writeDoubleLE(v);
      }
    } else if (data instanceof long[] a) {
      for (long v : a) {
        buf.writeLongLE(v);
      }
    } else if (data instanceof int[] a) {
      for (int v : a) {
        buf.writeIntLE(v);
      }
    } else {
      for (boolean v : (boolean[]) data) {
        buf.writeByte(v ? 1 : 0);
      }
    }
  }
}
