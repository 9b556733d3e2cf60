package dev.almanac.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.almanac.server.model.BadRequestException;
import dev.almanac.server.model.DataType;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The request readers: Jackson's parser straight into the request records, errors naming the field.
 */
class JsonBodyTest {

  private static InferRequest infer(String json) {
    return JsonBody.read(Buffer.buffer(json), InferRequest::read);
  }

  private static void rejects(String json, JsonBody.Reader<?> reader, String... fragments) {
    var thrown =
        assertThatThrownBy(() -> JsonBody.read(Buffer.buffer(json), reader))
            .as(json)
            .isInstanceOf(BadRequestException.class);
    for (String f : fragments) {
      thrown.hasMessageContaining(f);
    }
  }

  private static void rejectsInfer(String json, String... fragments) {
    rejects(json, InferRequest::read, fragments);
  }

  @Test
  void syntaxErrorsAreJacksonsWithLineAndColumn() {
    rejects(
        "{\"symptoms\": [\"a\", \"b\"",
        PredictRequest::read,
        "malformed JSON",
        "end-of-input",
        "line 1");
    rejects(
        "{\"symptoms\": [\"a\"]}\n{}",
        PredictRequest::read,
        "unexpected content after the JSON object",
        "line 2");
    rejects(
        "{\"series\": \"USA\", \"history\": [NaN]}",
        b -> ForecastRequest.read(b, 90),
        "malformed JSON",
        "NaN");
    rejects("   ", PredictRequest::read, "empty");
    rejects("[1, 2]", PredictRequest::read, "must be a JSON object, got an array");
    // Jackson's nesting limit stops a deep document, even in a skipped field
    rejects(
        "{\"x\": " + "[".repeat(5_000) + "]".repeat(5_000) + "}",
        PredictRequest::read,
        "malformed JSON",
        "nesting depth");
  }

  @Test
  void unknownFieldsAreNamedTogether() {
    rejects(
        "{\"symptoms\": [\"a\"], \"topk\": 2, \"extra\": {\"deep\": [1]}}",
        PredictRequest::read,
        "unknown field(s) [topk, extra]",
        "allowed: [symptoms, topK, model]");
    rejectsInfer(
        "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1], \"data\": [1], \"bogus\": 1}]}",
        "inputs[0]: unknown field(s) [bogus]");
  }

  @Test
  void predictAndForecastBodiesAreTyped() {
    PredictRequest p =
        JsonBody.read(
            Buffer.buffer(
                "{\"topK\": 2.0, \"symptoms\": [\"itching\", \"skin_rash\"], \"model\": null}"),
            PredictRequest::read);
    assertThat(p).isEqualTo(new PredictRequest(List.of("itching", "skin_rash"), 2, null));
    ForecastRequest f =
        JsonBody.read(
            Buffer.buffer("{\"series\": \"USA\", \"horizon\": 7, \"history\": [1, 2.5, -3e2]}"),
            b -> ForecastRequest.read(b, 90));
    assertThat(f.series()).isEqualTo("USA");
    assertThat(f.horizon()).isEqualTo(7);
    assertThat(f.history()).containsExactly(1, 2.5, -300);
    rejects(
        "{\"series\": \"USA\", \"horizon\": 91}",
        b -> ForecastRequest.read(b, 90),
        "'horizon' must be between 1 and 90, got 91");
    rejects(
        "{\"series\": \"USA\", \"history\": [1, {}]}",
        b -> ForecastRequest.read(b, 90),
        "history[1] must be a number, got an object");
    rejects(
        "{\"series\": \"USA\", \"history\": [1, -1e999]}",
        b -> ForecastRequest.read(b, 90),
        "history[1] must be finite, got -1e999");
    rejects(
        "{\"symptoms\": [\"a\", null]}",
        PredictRequest::read,
        "symptoms[1] must be a string, got null");
    rejects(
        "{\"symptoms\": \"a\"}",
        PredictRequest::read,
        "field 'symptoms' must be an array, got a string");
    rejects("{\"topK\": 1}", PredictRequest::read, "field 'symptoms' is required");
    rejects(
        "{\"symptoms\": [\"a\"], \"topK\": 1e30}",
        PredictRequest::read,
        "'topK' must be an integer, got 1e30");
  }

  @Test
  void tensorDataIsReadIntoTheDatatypesArrayFlatOrNested() {
    String body =
        "{\"id\": \"r1\", \"inputs\": ["
            + "{\"name\": \"f\", \"datatype\": \"FP32\", \"shape\": [2, 2], \"data\": [[0.1, 2], [-3.5, 1e-7]]},"
            + "{\"name\": \"d\", \"datatype\": \"FP64\", \"shape\": [2], \"data\": [0.1, 123456789.123456789]},"
            + "{\"name\": \"l\", \"datatype\": \"INT64\", \"shape\": [3], \"data\": [9223372036854775807, -4, 2.0]},"
            + "{\"name\": \"i\", \"datatype\": \"INT32\", \"shape\": [1], \"data\": [[[-2147483648]]]},"
            + "{\"name\": \"b\", \"datatype\": \"BOOL\", \"shape\": [2], \"data\": [true, false]}],"
            + "\"outputs\": [{\"name\": \"p\", \"parameters\": {\"binary_data\": true, \"other\": [1]}}],"
            + "\"parameters\": {\"binary_data_output\": false, \"priority\": 3}}";
    InferRequest r = infer(body);
    assertThat(r.id()).isEqualTo("r1");
    assertThat((float[]) r.inputs().get(0).data()).containsExactly(0.1f, 2f, -3.5f, 1e-7f);
    assertThat(r.inputs().get(0).shape()).containsExactly(2, 2);
    assertThat((double[]) r.inputs().get(1).data()).containsExactly(0.1, 123456789.123456789);
    assertThat((long[]) r.inputs().get(2).data()).containsExactly(Long.MAX_VALUE, -4, 2);
    assertThat((int[]) r.inputs().get(3).data()).containsExactly(Integer.MIN_VALUE);
    assertThat((boolean[]) r.inputs().get(4).data()).containsExactly(true, false);
    assertThat(r.outputs()).containsExactly(new InferRequest.Output("p", true));
    assertThat(r.binaryDataOutput()).isFalse();
  }

  @Test
  void fieldsMayComeInAnyOrder() {
    InferRequest r =
        infer(
            "{\"inputs\": [{\"data\": [1, 2.5, 3], \"shape\": [1, 3], \"datatype\": \"FP64\", \"name\": \"x\"}]}");
    InferRequest.Input in = r.inputs().get(0);
    assertThat(in.name()).isEqualTo("x");
    assertThat(in.type()).isEqualTo(DataType.FP64);
    assertThat((double[]) in.data()).containsExactly(1, 2.5, 3);
    // a bad value in early data is still named by the input it belongs to
    rejectsInfer(
        "{\"inputs\": [{\"data\": [1, \"two\"], \"name\": \"x\", \"shape\": [2], \"datatype\": \"FP32\"}]}",
        "inputs[0] ('x') data[1] must be a number, got a string");
  }

  @Test
  void badTensorsAreNamedByInputAndIndex() {
    String head =
        "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"TYPE\", \"shape\": [SHAPE], \"data\": DATA}]}";
    rejectsInfer(
        head.replace("TYPE", "FP32").replace("SHAPE", "2").replace("DATA", "[1, 1e39]"),
        "inputs[0] ('x') data[1] = 1e39 does not fit in FP32");
    rejectsInfer(
        head.replace("TYPE", "FP32").replace("SHAPE", "2").replace("DATA", "[[1], [true]]"),
        "data[1] must be a number, got a boolean");
    rejectsInfer(
        head.replace("TYPE", "INT32").replace("SHAPE", "1").replace("DATA", "[2147483648]"),
        "data[0] = 2147483648 does not fit in INT32");
    rejectsInfer(
        head.replace("TYPE", "INT64").replace("SHAPE", "1").replace("DATA", "[0.5]"),
        "data[0] must be an integer, got 0.5");
    rejectsInfer(
        head.replace("TYPE", "INT64")
            .replace("SHAPE", "1")
            .replace("DATA", "[92233720368547758070]"),
        "data[0] must be an integer");
    rejectsInfer(
        head.replace("TYPE", "BOOL").replace("SHAPE", "1").replace("DATA", "[1]"),
        "data[0] must be a boolean, got a number");
    rejectsInfer(
        head.replace("TYPE", "FP32").replace("SHAPE", "1").replace("DATA", "[1, {\"a\": 1}]"),
        "data[1] must be a number, got an object");
    rejectsInfer(
        head.replace("TYPE", "FP32")
            .replace("SHAPE", "1")
            .replace("DATA", "[" + "[".repeat(40) + "1" + "]".repeat(40) + "]"),
        "'data' is nested too deeply");
    rejectsInfer(
        head.replace("TYPE", "FP32").replace("SHAPE", "1").replace("DATA", "3"),
        "inputs[0] ('x'): field 'data' must be an array, got a number");
    rejectsInfer(
        head.replace("TYPE", "FP32").replace("SHAPE", "1, -1").replace("DATA", "[1]"),
        "inputs[0] ('x'): shape[1] must be a non-negative integer, got -1");
    rejectsInfer(
        head.replace("TYPE", "FP32").replace("SHAPE", "100000, 100000").replace("DATA", "[]"),
        "shape [100000, 100000] has too many elements");
    rejectsInfer(
        head.replace("TYPE", "FP8").replace("SHAPE", "1").replace("DATA", "[1]"),
        "unsupported datatype 'FP8'");
    rejectsInfer(
        "{\"inputs\": [{\"datatype\": \"FP32\", \"shape\": [1], \"data\": [1]}]}",
        "inputs[0]: field 'name' is required");
    rejectsInfer(
        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"data\": [1]}]}",
        "inputs[0] ('x'): field 'datatype' is required");
    rejectsInfer(
        "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1]}]}",
        "inputs[0] ('x'): field 'data' is required");
    rejectsInfer("{\"inputs\": [3]}", "inputs[0] must be an object, got a number");
    rejectsInfer("{\"id\": 5}", "field 'id' must be a string, got a number");
    rejectsInfer(
        "{\"parameters\": {\"binary_data_output\": 1}}",
        "field 'parameters.binary_data_output' must be a boolean, got a number");
    rejectsInfer("{\"outputs\": [{\"parameters\": {}}]}", "outputs[0]: field 'name' is required");
    rejectsInfer(
        "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1], \"parameters\": {\"binary_data_size\": -4}}]}",
        "inputs[0] ('x'): field 'parameters.binary_data_size' must be between 0 and 2147483647, got -4");
  }
}
