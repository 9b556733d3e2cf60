package dev.almanac.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RequestJsonTest {

  @Test
  void buildsTheTreeVertxWouldBuildValueForValueAndTypeForType() {
    List<String> bodies = List.of(
        "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1.0,0.5,-0.0]}]}",
        "{\"a\":[1,2.5,\"x\",null,true,false,{\"b\":[]},[[1],[2.0]]],\"c\":{}}",
        "{\"ints\":[1,-2,2147483647,-2147483648],\"long\":[2147483648,9223372036854775807],\"big\":[92233720368547758070]}",
        "{\"floats\":[1e5,1.5E-3,123456789012345.6,0.1234567890123456789,1e400,-1e-400,0.000001]}",
        "{\"s\":\"caf\\u00e9 \\\"quoted\\\"\",\"n\":null,\"mixed\":[0.5,1,2,\"three\"],\"nested\":[[0.25,0.75],[1,0]]}",
        "[1,2,3]", "[0.5,\"a\"]", "\"text\"", "42", "null", "{\"dup\":1,\"dup\":2}");
    for (String body : bodies) {
      assertThat(describe(RequestJson.parse(Buffer.buffer(body)))).as(body).isEqualTo(describe(Json.decodeValue(Buffer.buffer(body))));
    }
  }

  @Test
  void randomDocumentsMatchVertx() {
    Random random = new Random(7);
    for (int i = 0; i < 2000; i++) {
      String body = randomValue(random, 0);
      assertThat(describe(RequestJson.parse(Buffer.buffer(body)))).as(body).isEqualTo(describe(Json.decodeValue(Buffer.buffer(body))));
    }
  }

  @Test
  void numberArraysStayUnboxedAndReadBackAsIntegersOrDoubles() {
    JsonObject o = (JsonObject) RequestJson.parse(Buffer.buffer("{\"data\":[1,0.5,-3,2.0]}"));
    List<Object> data = o.getJsonArray("data").getList();
    assertThat(data).isInstanceOf(RequestJson.Numbers.class).containsExactly((Object) 1, 0.5, -3, 2.0);
    assertThat(((RequestJson.Numbers) data).doubleAt(2)).isEqualTo(-3.0);
    // growing past the first block keeps every value and its kind
    StringBuilder many = new StringBuilder("[");
    for (int i = 0; i < 100; i++) {
      many.append(i == 0 ? "" : ",").append(i % 3 == 0 ? i + ".5" : Integer.toString(i));
    }
    List<Object> grown = ((JsonArray) RequestJson.parse(Buffer.buffer(many.append(']').toString()))).getList();
    assertThat(grown).hasSize(100);
    assertThat(grown.get(99)).isEqualTo(99.5);
    assertThat(grown.get(98)).isEqualTo(98);
  }

  @Test
  void malformedBodiesNameTheProblemAndWhere() {
    assertThatThrownBy(() -> RequestJson.parse(Buffer.buffer("{\"a\": [1, 2")))
        .isInstanceOf(DecodeException.class).hasMessageContaining("end-of-input").hasMessageContaining("line 1");
    assertThatThrownBy(() -> RequestJson.parse(Buffer.buffer("{} {}")))
        .isInstanceOf(DecodeException.class).hasMessageContaining("unexpected content after the JSON value");
    assertThatThrownBy(() -> RequestJson.parse(Buffer.buffer("{\"a\": NaN}")))
        .isInstanceOf(DecodeException.class).hasMessageContaining("NaN");
    assertThatThrownBy(() -> RequestJson.parse(Buffer.buffer("   ")))
        .isInstanceOf(DecodeException.class).hasMessageContaining("no content");
  }

  @Test
  void deepNestingIsRefusedByTheParserBeforeTheTreeBuilderRunsOutOfStack() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertThatThrownBy(() -> RequestJson.parse(Buffer.buffer(deep)))
        .isInstanceOf(DecodeException.class).hasMessageContaining("nesting depth");
    String allowed = "[".repeat(900) + "1" + "]".repeat(900);
    assertThat(RequestJson.parse(Buffer.buffer(allowed))).isInstanceOf(JsonArray.class);
  }

  /** The value with the Java type of every leaf, walked through Vert.x's wrappers. */
  static String describe(Object v) {
    if (v instanceof JsonObject o) {
      StringBuilder s = new StringBuilder("{");
      for (Map.Entry<String, Object> e : o) {
        s.append(e.getKey()).append('=').append(describe(o.getValue(e.getKey()))).append(',');
      }
      return s.append('}').toString();
    }
    if (v instanceof JsonArray a) {
      StringBuilder s = new StringBuilder("[");
      for (int i = 0; i < a.size(); i++) {
        s.append(describe(a.getValue(i))).append(',');
      }
      return s.append(']').toString();
    }
    return v == null ? "null" : v.getClass().getSimpleName() + ":" + v;
  }

  private static String randomValue(Random r, int depth) {
    int kind = r.nextInt(depth > 3 ? 6 : 8);
    return switch (kind) {
      case 0 -> Integer.toString(r.nextInt());
      case 1 -> Long.toString(r.nextLong());
      case 2 -> Double.toString(r.nextGaussian() * Math.pow(10, r.nextInt(30) - 15));
      case 3 -> String.format(java.util.Locale.ROOT, "%." + r.nextInt(12) + "f", r.nextDouble() * 1000 - 500);
      case 4 -> r.nextBoolean() ? "true" : r.nextBoolean() ? "false" : "null";
      case 5 -> "\"s" + r.nextInt(100) + "\"";
      case 6 -> {
        StringBuilder s = new StringBuilder("[");
        int n = r.nextInt(6);
        boolean numeric = r.nextBoolean();
        for (int i = 0; i < n; i++) {
          s.append(i == 0 ? "" : ",").append(numeric ? randomValue(r, 99) : randomValue(r, depth + 1));
        }
        yield s.append(']').toString();
      }
      default -> {
        StringBuilder s = new StringBuilder("{");
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
          s.append(i == 0 ? "" : ",").append("\"k").append(r.nextInt(8)).append("\":").append(randomValue(r, depth + 1));
        }
        yield s.append('}').toString();
      }
    };
  }
}
