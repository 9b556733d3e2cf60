package dev.almanac.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.server.model.DataType;
import dev.almanac.server.model.Tensor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InferReplyTest {
  private final Tensor label =
      new Tensor("label", DataType.INT64, new long[] {2}, new long[] {4, 7});
  private final Tensor probabilities =
      Tensor.ofFloats("probabilities", new float[] {0.25f, 0.75f, 1e-7f, 0.5f}, 2, 2);
  private final Tensor flags =
      new Tensor("flags", DataType.BOOL, new long[] {2}, new boolean[] {true, false});

  @Test
  void jsonOutputsCarryTheirDataAndTheRequestId() {
    InferReply r =
        InferReply.write("m", "3", "req-1", List.of(label, probabilities, flags), null, Set.of());
    assertThat(r.jsonLength()).isEqualTo(r.body().length());
    JsonObject json = r.body().toJsonObject();
    assertThat(json.getString("model_name")).isEqualTo("m");
    assertThat(json.getString("model_version")).isEqualTo("3");
    assertThat(json.getString("id")).isEqualTo("req-1");
    JsonArray outputs = json.getJsonArray("outputs");
    assertThat(outputs).hasSize(3);
    assertThat(outputs.getJsonObject(0).encode())
        .isEqualTo("{\"name\":\"label\",\"datatype\":\"INT64\",\"shape\":[2],\"data\":[4,7]}");
    assertThat(outputs.getJsonObject(1).getJsonArray("shape").getList()).containsExactly(2, 2);
    // floats round-trip exactly as float32
    assertThat(
            outputs.getJsonObject(1).getJsonArray("data").stream()
                .map(v -> ((Number) v).floatValue()))
        .containsExactly(0.25f, 0.75f, 1e-7f, 0.5f);
    assertThat(outputs.getJsonObject(2).getJsonArray("data").getList())
        .containsExactly(true, false);
  }

  @Test
  void binaryOutputsFollowTheJsonInOrderAndUnrequestedOnesAreLeftOut() {
    InferReply r =
        InferReply.write(
            "m",
            "3",
            null,
            List.of(label, probabilities, flags),
            Set.of("label", "probabilities"),
            Set.of("label", "probabilities"));
    JsonObject json = r.body().getBuffer(0, r.jsonLength()).toJsonObject();
    assertThat(json.containsKey("id")).isFalse();
    JsonArray outputs = json.getJsonArray("outputs");
    assertThat(outputs.stream().map(o -> ((JsonObject) o).getString("name")))
        .containsExactly("label", "probabilities");
    assertThat(outputs.getJsonObject(0).containsKey("data")).isFalse();
    assertThat(outputs.getJsonObject(0).getJsonObject("parameters").getLong("binary_data_size"))
        .isEqualTo(16L);
    assertThat(outputs.getJsonObject(1).getJsonObject("parameters").getLong("binary_data_size"))
        .isEqualTo(16L);

    Buffer bytes = r.body().getBuffer(r.jsonLength(), r.body().length());
    assertThat(bytes.length()).isEqualTo(32);
    ByteBuffer b = ByteBuffer.wrap(bytes.getBytes()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getLong()).isEqualTo(4);
    assertThat(b.getLong()).isEqualTo(7);
    assertThat(new float[] {b.getFloat(), b.getFloat(), b.getFloat(), b.getFloat()})
        .containsExactly(0.25f, 0.75f, 1e-7f, 0.5f);
  }

  @Test
  void oneBinaryOutputBesideOneJsonOutput() {
    InferReply r =
        InferReply.write(
            "m", "3", null, List.of(label, probabilities), null, Set.of("probabilities"));
    JsonArray outputs =
        r.body().getBuffer(0, r.jsonLength()).toJsonObject().getJsonArray("outputs");
    assertThat(outputs.getJsonObject(0).getJsonArray("data").getList()).containsExactly(4, 7);
    assertThat(outputs.getJsonObject(1).getJsonObject("parameters").getLong("binary_data_size"))
        .isEqualTo(16L);
    assertThat(r.body().length() - r.jsonLength()).isEqualTo(16);
    assertThat(Float.intBitsToFloat(r.body().getIntLE(r.jsonLength() + 4))).isEqualTo(0.75f);
  }

  @Test
  void randomRepliesReadBackValueForValue() {
    SplittableRandom random = new SplittableRandom(3);
    for (int round = 0; round < 3_000; round++) {
      List<Tensor> outputs = new ArrayList<>();
      int count = 1 + random.nextInt(3);
      for (int i = 0; i < count; i++) {
        outputs.add(randomTensor(random, randomText(random)));
      }
      String id = random.nextBoolean() ? null : randomText(random);
      String model = randomText(random);
      InferReply reply = InferReply.write(model, "7", id, outputs, null, Set.of());
      JsonObject json = new JsonObject(reply.body().toString(StandardCharsets.UTF_8));
      assertThat(json.getString("model_name")).isEqualTo(model);
      assertThat(json.getString("id")).isEqualTo(id);
      JsonArray written = json.getJsonArray("outputs");
      for (int i = 0; i < count; i++) {
        Tensor t = outputs.get(i);
        JsonObject o = written.getJsonObject(i);
        assertThat(o.getString("name")).isEqualTo(t.name());
        assertThat(
                o.getJsonArray("shape").stream().mapToLong(d -> ((Number) d).longValue()).toArray())
            .containsExactly(t.shape());
        assertThat(readBack(o.getJsonArray("data"), t.type()))
            .as(o.encode())
            .isEqualTo(box(t.data()));
      }
    }
  }

  /**
   * JSON values as the tensor's Java values: non-finite floats are written as the strings Jackson
   * quotes them as.
   */
  private static List<Object> readBack(JsonArray data, DataType type) {
    List<Object> out = new ArrayList<>();
    for (Object v : data) {
      out.add(
          switch (type) {
            case FP32 ->
                v instanceof String s ? Float.valueOf(s) : (Object) ((Number) v).floatValue();
            case FP64 ->
                v instanceof String s ? Double.valueOf(s) : (Object) ((Number) v).doubleValue();
            case INT64 -> ((Number) v).longValue();
            case INT32 -> ((Number) v).intValue();
            case BOOL -> v;
          });
    }
    return out;
  }

  private static List<Object> box(Object data) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < java.lang.reflect.Array.getLength(data); i++) {
      out.add(java.lang.reflect.Array.get(data, i));
    }
    return out;
  }

  private static Tensor randomTensor(SplittableRandom random, String name) {
    int n = random.nextInt(6);
    long[] shape = random.nextBoolean() ? new long[] {n} : new long[] {1, n};
    return switch (random.nextInt(5)) {
      case 0 -> {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
          a[i] =
              random.nextBoolean()
                  ? (float) random.nextDouble()
                  : Float.intBitsToFloat(random.nextInt());
        }
        yield new Tensor(name, DataType.FP32, shape, a);
      }
      case 1 -> {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
          a[i] =
              random.nextBoolean()
                  ? random.nextDouble()
                  : Double.longBitsToDouble(random.nextLong());
        }
        yield new Tensor(name, DataType.FP64, shape, a);
      }
      case 2 -> new Tensor(name, DataType.INT64, shape, random.longs(n).toArray());
      case 3 -> new Tensor(name, DataType.INT32, shape, random.ints(n).toArray());
      default -> {
        boolean[] a = new boolean[n];
        for (int i = 0; i < n; i++) {
          a[i] = random.nextBoolean();
        }
        yield new Tensor(name, DataType.BOOL, shape, a);
      }
    };
  }

  /**
   * Mostly plain names, sometimes quotes, backslashes, control characters, non-ASCII text and
   * (lone) surrogates.
   */
  private static String randomText(SplittableRandom random) {
    if (random.nextInt(3) == 0) {
      return "probabilities";
    }
    StringBuilder s = new StringBuilder();
    int length = random.nextInt(12);
    for (int i = 0; i < length; i++) {
      s.append(
          switch (random.nextInt(6)) {
            case 0 -> (char) random.nextInt(0x20);
            case 1 -> "\"\\/\u007f".charAt(random.nextInt(4));
            case 2 -> (char) (0x80 + random.nextInt(0x780));
            case 3 -> (char) (0x800 + random.nextInt(0xF7FF));
            default -> (char) (0x20 + random.nextInt(0x5F));
          });
    }
    return s.toString();
  }
}
