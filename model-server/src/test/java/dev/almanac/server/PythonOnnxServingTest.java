package dev.almanac.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.almanac.server.bundle.BundleModelLoader;
import dev.almanac.server.bundle.RegistryModelSource;
import dev.almanac.server.model.BatchSettings;
import dev.almanac.testbed.MlflowTestBed;
import dev.almanac.testbed.PythonRegisteredModels;
import dev.almanac.testbed.PythonRegisteredModels.Variant;
import dev.almanac.testbed.Timeouts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model that MLflow's Python client registered ({@code mlflow.onnx.log_model} of a scikit-learn
 * classifier converted with skl2onnx; no Almanac manifest) is served over KServe V2 from {@code
 * models:/name@production}; a version without an onnx flavor, or whose graph does not match its
 * signature, is refused by name. Runs on MLflow 3; {@link PythonOnnxServingMlflow2Test} on 2.22.
 */
@Tag("integration")
@ExtendWith(MlflowTestBed.class)
class PythonOnnxServingTest {
  @TempDir Path tmp;

  @Test
  void servesAPythonRegisteredOnnxModelAndRefusesOthersByName(MlflowTestBed.Endpoints bed)
      throws Exception {
    var suffix = UUID.randomUUID().toString().substring(0, 8);
    var model = "py-iris-" + suffix;
    var registered = PythonRegisteredModels.register(bed, model, Variant.ONNX, "production");

    Path cache = tmp.resolve("cache");
    ServerConfig c =
        ServerHarness.config(List.of("models:/" + model + "@production"))
            .withCacheDir(cache)
            .withAdmin(ServerHarness.admin());
    try (ServerHarness h =
        ServerHarness.start(
            c,
            m ->
                new BundleModelLoader(
                    new RegistryModelSource(cache, bed.env()),
                    BatchSettings.ofMillis(c.maxBatchSize(), c.maxDelayMillis()),
                    m))) {
      await().atMost(Timeouts.seconds(90)).until(h.server::isReady);

      // inputs and outputs come from the ONNX graph
      var meta = h.get("/v2/models/" + model).bodyAsJsonObject();
      assertThat(meta.getJsonArray("versions").getString(0)).isEqualTo(registered.version());
      var input = meta.getJsonArray("inputs").getJsonObject(0);
      assertThat(input.getString("name")).isEqualTo("float_input");
      assertThat(input.getString("datatype")).isEqualTo("FP32");
      assertThat(input.getJsonArray("shape")).containsExactly(-1, 4);
      assertThat(meta.getJsonArray("outputs").stream().map(o -> ((JsonObject) o).getString("name")))
          .containsExactly("label", "probabilities");

      // predictions equal scikit-learn's
      var data = new JsonArray();
      for (double[] row : registered.rows()) {
        for (double x : row) {
          data.add(x);
        }
      }
      var request =
          new JsonObject()
              .put(
                  "inputs",
                  new JsonArray()
                      .add(
                          new JsonObject()
                              .put("name", "float_input")
                              .put("datatype", "FP32")
                              .put("shape", new JsonArray().add(registered.rows().length).add(4))
                              .put("data", data)));
      var r = h.post("/v2/models/" + model + "/infer", request);
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      var outputs = r.bodyAsJsonObject().getJsonArray("outputs");
      var probabilities =
          outputs.stream()
              .map(JsonObject.class::cast)
              .filter(o -> o.getString("name").equals("probabilities"))
              .findFirst()
              .orElseThrow();
      var expected = registered.probabilities();
      assertThat(probabilities.getJsonArray("shape")).containsExactly(expected.length, 3);
      for (int i = 0; i < expected.length; i++) {
        for (int k = 0; k < 3; k++) {
          assertThat(probabilities.getJsonArray("data").getDouble(i * 3 + k))
              .as("row %d class %d", i, k)
              .isCloseTo(expected[i][k], within(1e-4));
        }
      }
      var info = h.get("/v1/models").bodyAsJsonObject().getJsonArray("models").getJsonObject(0);
      assertThat(info.getString("task")).isEqualTo("tensor");
      assertThat(info.getJsonObject("info").getString("format")).isEqualTo("mlflow-onnx");
      assertThat(info.getJsonObject("info").getString("onnxSha256")).hasSize(64);

      // a version with only the sklearn flavor: refused by name, the served version stays
      var sklearn = "py-sklearn-" + suffix;
      PythonRegisteredModels.register(bed, sklearn, Variant.SKLEARN, "production");
      var refused =
          h.adminLoad(sklearn, new JsonObject().put("uri", "models:/" + sklearn + "@production"));
      assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(400);
      assertThat(refused.bodyAsJsonObject().getString("error"))
          .contains("no onnx flavor; Almanac serves ONNX")
          .contains("sklearn");

      // an ONNX model whose signature names another input than its graph
      var mismatched = "py-mismatch-" + suffix;
      PythonRegisteredModels.register(bed, mismatched, Variant.ONNX_BAD_SIGNATURE, "production");
      var bad =
          h.adminLoad(
              mismatched, new JsonObject().put("uri", "models:/" + mismatched + "@production"));
      assertThat(bad.statusCode()).as(bad.bodyAsString()).isEqualTo(400);
      assertThat(bad.bodyAsJsonObject().getString("error"))
          .contains("ONNX inputs do not match the MLflow signature")
          .contains("float_input")
          .contains("features");

      assertThat(h.get("/v2/models/" + model + "/ready").statusCode()).isEqualTo(200);
    }
  }
}
