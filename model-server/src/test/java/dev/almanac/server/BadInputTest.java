package dev.almanac.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input gets a 4xx JSON error that names the problem; never a 5xx, never a hung connection. */
class BadInputTest {
  @TempDir static Path tmp;
  static ServerHarness h;

  @BeforeAll
  static void start() throws Exception {
    h =
        ServerHarness.ready(
            ServerHarness.config(
                    List.of(
                        TestBundles.forecaster(tmp.resolve("covid"), "covid-cases", "1").toString(),
                        TestBundles.classifier(tmp.resolve("disease"), "disease", "1").toString()))
                .withLimits(90, 16 * 1024));
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  static String features(String datatype, String shape, String data) {
    return "{\"inputs\":[{\"name\":\"features\",\"datatype\":\""
        + datatype
        + "\",\"shape\":"
        + shape
        + ",\"data\":"
        + data
        + "}]}";
  }

  static String zeros(int n) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ",").append('0');
    }
    return sb.append(']').toString();
  }

  static void assertError(HttpResponse<Buffer> r, int status, String... fragments) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("content-type")).startsWith("application/json");
    String error = new JsonObject(r.bodyAsString()).getString("error");
    for (String f : fragments) {
      assertThat(error).containsIgnoringCase(f);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "malformed JSON|/v1/predict|{\"symptoms\": [|400|malformed JSON",
        "not an object|/v1/predict|[1,2]|400|JSON object",
        "empty body|/v1/forecast|``|400|empty",
        "symptoms not an array|/v1/predict|{\"symptoms\": \"itching\"}|400|'symptoms' must be an array",
        "symptom not a string|/v1/predict|{\"symptoms\": [\"itching\", 3]}|400|symptoms[1]",
        "empty symptom list|/v1/predict|{\"symptoms\": []}|400|'symptoms' is empty",
        "missing symptoms|/v1/predict|{\"topK\": 2}|400|'symptoms' is required",
        "topK zero|/v1/predict|{\"symptoms\": [\"itching\"], \"topK\": 0}|400|'topK'",
        "topK above classes|/v1/predict|{\"symptoms\": [\"itching\"], \"topK\": 42}|400|'topK'",
        "topK fractional|/v1/predict|{\"symptoms\": [\"itching\"], \"topK\": 2.5}|400|'topK' must be an integer",
        "unknown field|/v1/predict|{\"symptoms\": [\"itching\"], \"topk\": 2}|400|unknown field",
        "series missing|/v1/forecast|{\"horizon\": 3}|400|'series' is required",
        "series wrong type|/v1/forecast|{\"series\": 7}|400|'series' must be a string",
        "huge horizon|/v1/forecast|{\"series\": \"USA\", \"horizon\": 100000}|400|'horizon' must be between 1 and 90",
        "negative horizon|/v1/forecast|{\"series\": \"USA\", \"horizon\": -1}|400|'horizon'",
        "horizon as string|/v1/forecast|{\"series\": \"USA\", \"horizon\": \"7\"}|400|'horizon' must be an integer",
        "history with a string|/v1/forecast|{\"series\": \"USA\", \"history\": [1, \"x\"]}|400|history[1]",
        "history with infinity|/v1/forecast|{\"series\": \"USA\", \"history\": [1, 1e400]}|400|history[1] must be finite",
        "history too short|/v1/forecast|{\"series\": \"USA\", \"history\": [1, 2, 3]}|400|at least 14",
        "NaN literal|/v1/forecast|{\"series\": \"USA\", \"history\": [NaN]}|400|malformed JSON",
        "unknown model|/v1/forecast|{\"series\": \"USA\", \"model\": \"nope\"}|404|'nope'",
        "wrong task model|/v1/forecast|{\"series\": \"USA\", \"model\": \"disease\"}|400|classification model",
        "infer without inputs|/v2/models/disease/infer|{}|400|'inputs' is required",
        "infer empty inputs|/v2/models/disease/infer|{\"inputs\": []}|400|'inputs' is empty",
        "infer unknown input|/v2/models/disease/infer|{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]}|400|unknown input 'x'",
        "infer bad datatype|/v2/models/disease/infer|{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP16\",\"shape\":[1,132],\"data\":[]}]}|400|unsupported datatype",
        "infer wrong shape|/v2/models/disease/infer|{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[1,1],\"data\":[1]}]}|400|shape",
        "id not a string|/v2/models/disease/infer|{\"id\": 5, \"inputs\": []}|400|'id' must be a string",
      })
  void rejectsWithA4xxNamingTheProblem(
      String what, String path, String body, int status, String fragment) throws Exception {
    assertError(h.postRaw(path, body == null ? "" : body), status, fragment);
  }

  @Test
  void tensorShapeTypeAndValueProblemsAreNamed() throws Exception {
    String p = "/v2/models/disease/infer";
    assertError(
        h.postRaw(p, features("FP64", "[1,132]", zeros(132))),
        400,
        "FP64",
        "does not match",
        "FP32");
    assertError(h.postRaw(p, features("FP32", "[1,131]", zeros(131))), 400, "dimension 1");
    assertError(h.postRaw(p, features("FP32", "[132]", zeros(132))), 400, "rank 1");
    assertError(
        h.postRaw(p, features("FP32", "[2,132]", zeros(132))), 400, "needs 264 values", "has 132");
    assertError(h.postRaw(p, features("FP32", "[0,132]", "[]")), 400, "batch dimension is 0");
    assertError(h.postRaw(p, features("FP32", "[1,-132]", zeros(132))), 400, "shape[1]");
    assertError(
        h.postRaw(p, features("FP32", "[1,132]", zeros(131).replace("]", ",1e39]"))),
        400,
        "data[131]",
        "FP32");
    assertError(
        h.postRaw(p, features("FP32", "[1,132]", zeros(131).replace("]", ",true]"))),
        400,
        "data[131] must be a number");
    assertError(
        h.postRaw(
            p,
            features("FP32", "[1,132]", zeros(132))
                .replace("}]}", "}],\"outputs\":[{\"name\":\"nope\"}]}")),
        400,
        "unknown output 'nope'");
    assertError(h.postRaw(p, features("FP32", "[100000,100000]", "[]")), 400, "too many elements");
  }

  @Test
  void binaryTensorDataProblemsAreNamed() throws Exception {
    String p = "/v2/models/disease/infer";
    String head =
        "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[1,132],"
            + "\"parameters\":{\"binary_data_size\":SIZE}}]}";
    java.nio.ByteBuffer row =
        java.nio.ByteBuffer.allocate(528).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertThat(h.postBinary(p, head.replace("SIZE", "528"), row.array()).statusCode())
        .isEqualTo(200);
    assertError(
        h.postBinary(p, head.replace("SIZE", "100"), row.array()),
        400,
        "binary_data_size 100 does not match",
        "528 bytes");
    assertError(
        h.postBinary(p, head.replace("SIZE", "528"), new byte[100]), 400, "runs past the end");
    assertError(
        h.postBinary(p, head.replace("SIZE", "528"), new byte[600]), 400, "72 bytes", "no input");
    row.putFloat(4 * 7, Float.NaN);
    assertError(h.postBinary(p, head.replace("SIZE", "528"), row.array()), 400, "value 7 is NaN");
    assertError(
        h.postBinary(
            p, head.replace("SIZE", "528").replace("}}]}", "},\"data\":[0]}]}"), new byte[528]),
        400,
        "both 'data' and");
    var tooLong =
        h.client
            .request(io.vertx.core.http.HttpMethod.POST, p)
            .putHeader("Inference-Header-Content-Length", "9999")
            .sendBuffer(Buffer.buffer("{}"))
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertError(tooLong, 400, "Inference-Header-Content-Length is 9999", "2 bytes");
  }

  @Test
  void oversizedBodiesGet413() throws Exception {
    String big = "{\"symptoms\": [\"" + "a".repeat(20 * 1024) + "\"]}";
    assertError(h.postRaw("/v1/predict", big), 413, "larger than the limit of 16384 bytes");
  }

  @Test
  void unknownRoutesAndMethodsAnswerJson() throws Exception {
    assertError(h.get("/v3/nothing"), 404, "no route GET /v3/nothing");
    assertError(h.get("/v1/predict"), 404, "no route");
  }
}
