package dev.almanac.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.server.model.DataType;
import dev.almanac.server.model.Tensor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InferReplyTest {
  private final Tensor label = new Tensor("label", DataType.INT64, new long[] {2}, new long[] {4, 7});
  private final Tensor probabilities = Tensor.ofFloats("probabilities", new float[] {0.25f, 0.75f, 1e-7f, 0.5f}, 2, 2);
  private final Tensor flags = new Tensor("flags", DataType.BOOL, new long[] {2}, new boolean[] {true, false});

  @Test
  void jsonOutputsCarryTheirDataAndTheRequestId() {
    InferReply r = InferReply.write("m", "3", "req-1", List.of(label, probabilities, flags), null, Set.of());
    assertThat(r.jsonLength()).isEqualTo(r.body().length());
    JsonObject json = r.body().toJsonObject();
    assertThat(json.getString("model_name")).isEqualTo("m");
    assertThat(json.getString("model_version")).isEqualTo("3");
    assertThat(json.getString("id")).isEqualTo("req-1");
    JsonArray outputs = json.getJsonArray("outputs");
    assertThat(outputs).hasSize(3);
    assertThat(outputs.getJsonObject(0).encode()).isEqualTo("{\"name\":\"label\",\"datatype\":\"INT64\",\"shape\":[2],\"data\":[4,7]}");
    assertThat(outputs.getJsonObject(1).getJsonArray("shape").getList()).containsExactly(2, 2);
    // floats round-trip exactly as float32
    assertThat(outputs.getJsonObject(1).getJsonArray("data").stream().map(v -> ((Number) v).floatValue()))
        .containsExactly(0.25f, 0.75f, 1e-7f, 0.5f);
    assertThat(outputs.getJsonObject(2).getJsonArray("data").getList()).containsExactly(true, false);
  }

  @Test
  void binaryOutputsFollowTheJsonInOrderAndUnrequestedOnesAreLeftOut() {
    InferReply r = InferReply.write("m", "3", null, List.of(label, probabilities, flags), Set.of("label", "probabilities"),
        Set.of("label", "probabilities"));
    JsonObject json = r.body().getBuffer(0, r.jsonLength()).toJsonObject();
    assertThat(json.containsKey("id")).isFalse();
    JsonArray outputs = json.getJsonArray("outputs");
    assertThat(outputs.stream().map(o -> ((JsonObject) o).getString("name"))).containsExactly("label", "probabilities");
    assertThat(outputs.getJsonObject(0).containsKey("data")).isFalse();
    assertThat(outputs.getJsonObject(0).getJsonObject("parameters").getLong("binary_data_size")).isEqualTo(16L);
    assertThat(outputs.getJsonObject(1).getJsonObject("parameters").getLong("binary_data_size")).isEqualTo(16L);

    Buffer bytes = r.body().getBuffer(r.jsonLength(), r.body().length());
    assertThat(bytes.length()).isEqualTo(32);
    ByteBuffer b = ByteBuffer.wrap(bytes.getBytes()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getLong()).isEqualTo(4);
    assertThat(b.getLong()).isEqualTo(7);
    assertThat(new float[] {b.getFloat(), b.getFloat(), b.getFloat(), b.getFloat()}).containsExactly(0.25f, 0.75f, 1e-7f, 0.5f);
  }

  @Test
  void oneBinaryOutputBesideOneJsonOutput() {
    InferReply r = InferReply.write("m", "3", null, List.of(label, probabilities), null, Set.of("probabilities"));
    JsonArray outputs = r.body().getBuffer(0, r.jsonLength()).toJsonObject().getJsonArray("outputs");
    assertThat(outputs.getJsonObject(0).getJsonArray("data").getList()).containsExactly(4, 7);
    assertThat(outputs.getJsonObject(1).getJsonObject("parameters").getLong("binary_data_size")).isEqualTo(16L);
    assertThat(r.body().length() - r.jsonLength()).isEqualTo(16);
    assertThat(Float.intBitsToFloat(r.body().getIntLE(r.jsonLength() + 4))).isEqualTo(0.75f);
  }
}
