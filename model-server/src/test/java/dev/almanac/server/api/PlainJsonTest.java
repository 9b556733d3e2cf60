package dev.almanac.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PlainJsonTest {

  private static Object plain(String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return PlainJson.read(b, 0, b.length);
  }

  @Test
  void plainDocumentsAreReadWithoutJacksonIntoTheTreeVertxWouldBuild() {
    Random random = new Random(3);
    for (int i = 0; i < 3000; i++) {
      String body = randomPlain(random, 0, true);
      assertThat(plain(body)).as(body).isNotNull();
      assertThat(RequestJsonTest.describe(RequestJson.parse(Buffer.buffer(body)))).as(body)
          .isEqualTo(RequestJsonTest.describe(Json.decodeValue(Buffer.buffer(body))));
    }
    String infer = "{\"inputs\": [{\"name\": \"features\", \"datatype\": \"FP32\", \"shape\": [1, 3], \"data\": [1.0, 0.0, -0.0]}],\n"
        + " \"parameters\": {\"binary_data_output\": false}, \"id\": \"a\"}";
    assertThat(plain(infer)).isNotNull();
    JsonArray data = ((JsonObject) RequestJson.parse(Buffer.buffer(infer))).getJsonArray("inputs").getJsonObject(0).getJsonArray("data");
    assertThat(data.getList()).isInstanceOf(RequestJson.Numbers.class).containsExactly(1.0, 0.0, -0.0);
    assertThat(1 / (double) data.getValue(2)).isNegative(); // -0.0 kept
  }

  @Test
  void longNumberArraysAndNumbersBeforeOtherValuesKeepEveryValue() {
    // past the per-thread scratch (256 values, kept up to 65,536) and back: every array is read in full
    for (int n : new int[] {255, 256, 257, 1_000, 70_000, 3}) {
      StringBuilder s = new StringBuilder("[");
      for (int i = 0; i < n; i++) {
        s.append(i == 0 ? "" : ", ").append(i % 3 == 0 ? Integer.toString(i) : i + ".25");
      }
      String body = s.append("]").toString();
      assertThat(plain(body)).isInstanceOf(RequestJson.Numbers.class);
      assertThat(RequestJsonTest.describe(RequestJson.parse(Buffer.buffer(body))))
          .isEqualTo(RequestJsonTest.describe(Json.decodeValue(Buffer.buffer(body))));
    }
    // numbers, then a nested array that reuses the scratch, then numbers again
    String mixed = "[1, 2.5, 3, [4, 5.5, [6]], 7, \"x\", [8.5], 9]";
    assertThat(plain(mixed)).isNotNull();
    assertThat(RequestJsonTest.describe(RequestJson.parse(Buffer.buffer(mixed))))
        .isEqualTo(RequestJsonTest.describe(Json.decodeValue(Buffer.buffer(mixed))));
  }

  @Test
  void anythingOutsideThePlainSubsetIsLeftToJackson() {
    List<String> valid = List.of("[1e5]", "[1.5E-3]", "[\"a\\nb\"]", "[\"caf\u00e9\"]", "[2147483648]", "[-2147483649]",
        "[1234567890123456]", "[999999999999999]", "[0.1234567890123456]", "\"text\"", "42", "null", "[" .repeat(65) + "]".repeat(65), "\ufeff[1]");
    for (String body : valid) {
      assertThat(plain(body)).as(body).isNull();
      assertThat(RequestJsonTest.describe(RequestJson.parse(Buffer.buffer(body)))).as(body)
          .isEqualTo(RequestJsonTest.describe(Json.decodeValue(Buffer.buffer(body))));
    }
    List<String> invalid = List.of("[01]", "[1.]", "[.5]", "[-]", "[1,]", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{a:1}",
        "[tru]", "[nulll]", "[1]]", "{} x", "[\"a\u0001\"]", "[\"open]", "{\"a\":1", "[+1]", "[NaN]", "[-Infinity]", "[1,,2]",
        "{\"a\":}", "[", "{", "{\"a\"}", "[1}", "{\"a\":1]", "[-01]", "[1.5.5]", "['a']",
        "{\"" + "k".repeat(50_001) + "\":1}"); // over Jackson's name length limit
    for (String body : invalid) {
      assertThat(plain(body)).as(body.length() > 100 ? body.substring(0, 100) : body).isNull();
      assertThatThrownBy(() -> RequestJson.parse(Buffer.buffer(body))).as(body.length() > 100 ? body.substring(0, 100) : body)
          .isInstanceOf(DecodeException.class);
    }
  }

  @Test
  void decimalsAreTheCorrectlyRoundedDoubles() {
    Random random = new Random(11);
    for (int i = 0; i < 200_000; i++) {
      // JSON decimals of 2 to 15 digits: an integer part without leading zeros, a fraction of at least one digit
      int digits = 2 + random.nextInt(14);
      int whole = random.nextInt(digits);
      StringBuilder s = new StringBuilder(random.nextBoolean() ? "-" : "");
      if (whole == 0) {
        s.append('0');
        whole = 1;
      } else {
        s.append((char) ('1' + random.nextInt(9)));
        for (int d = 1; d < whole; d++) {
          s.append((char) ('0' + random.nextInt(10)));
        }
      }
      s.append('.');
      for (int d = whole; d < digits; d++) {
        s.append((char) ('0' + random.nextInt(10)));
      }
      assertBitExact(s.toString());
    }
    for (String exact : List.of("1.0", "0.0", "-0.0", "0.50", "100.000", "-12.3400", "0.00000000000001", "99999999999999.0")) {
      assertBitExact(exact);
    }
  }

  private static void assertBitExact(String decimal) {
    RequestJson.Numbers read = (RequestJson.Numbers) plain("[" + decimal + "]");
    assertThat(read).as(decimal).isNotNull();
    assertThat(Double.doubleToRawLongBits(read.doubleAt(0))).as(decimal).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(decimal)));
  }

  @Test
  void boundaryNumbersMatchJackson() {
    for (String body : List.of("[2147483647,-2147483648,0,-0,9]", "[999999999,-999999999]",
        "[0.00000000000001,99999999999999.9,123456789.012345]", "[0.5,1,\"x\",2.25,-3]", "[[1,2],[3.5]]")) {
      assertThat(plain(body)).as(body).isNotNull();
      assertThat(RequestJsonTest.describe(RequestJson.parse(Buffer.buffer(body)))).as(body)
          .isEqualTo(RequestJsonTest.describe(Json.decodeValue(Buffer.buffer(body))));
    }
  }

  /** Objects, arrays, short strings, int-range ints, decimals of at most 15 digits, literals, random whitespace. */
  private static String randomPlain(Random r, int depth, boolean top) {
    int kind = top ? 6 + r.nextInt(2) : r.nextInt(depth > 3 ? 6 : 8);
    String ws = r.nextInt(4) == 0 ? List.of(" ", "\n", "\t ", "\r\n").get(r.nextInt(4)) : "";
    return ws + switch (kind) {
      case 0 -> Integer.toString(r.nextInt());
      case 1 -> Integer.toString(r.nextInt(2001) - 1000);
      case 2 -> {
        int decimals = 1 + r.nextInt(6);
        yield String.format(Locale.ROOT, "%." + decimals + "f", (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(9)));
      }
      case 3 -> List.of("0.0", "1.0", "-0.0", "0.5", "-13.25", "0").get(r.nextInt(6));
      case 4 -> r.nextBoolean() ? "true" : r.nextBoolean() ? "false" : "null";
      case 5 -> "\"s" + r.nextInt(100) + " /:,[]{}\"";
      case 6 -> {
        StringBuilder s = new StringBuilder("[");
        int n = r.nextInt(6);
        boolean numeric = r.nextBoolean();
        for (int i = 0; i < n; i++) {
          s.append(i == 0 ? "" : ",").append(numeric ? randomPlain(r, 99, false) : randomPlain(r, depth + 1, false)).append(ws);
        }
        yield s.append(']').toString();
      }
      default -> {
        StringBuilder s = new StringBuilder("{");
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
          s.append(i == 0 ? "" : ",").append(ws).append("\"k").append(r.nextInt(8)).append("\"").append(ws).append(':')
              .append(randomPlain(r, depth + 1, false));
        }
        yield s.append(ws).append('}').toString();
      }
    } + ws;
  }
}
