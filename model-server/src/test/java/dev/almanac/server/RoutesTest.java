package dev.almanac.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.almanac.ml.bundle.DiseasePrediction;
import dev.almanac.ml.bundle.Forecast;
import dev.almanac.ml.bundle.ModelBundle;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every route of a server that serves one forecast and one classification bundle. */
class RoutesTest {
  @TempDir static Path tmp;
  static ServerHarness h;
  static Path forecastDir;
  static Path classifierDir;

  @BeforeAll
  static void start() throws Exception {
    forecastDir = TestBundles.forecaster(tmp.resolve("covid"), "covid-cases", "3");
    classifierDir = TestBundles.classifier(tmp.resolve("disease"), "disease", "7");
    h =
        ServerHarness.ready(
            ServerHarness.config(List.of(forecastDir.toString(), classifierDir.toString()))
                .withLimits(90, 64 * 1024));
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  static JsonObject json(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject();
  }

  @Test
  void healthAndServerMetadata() throws Exception {
    assertThat(json(h.get("/v2/health/live")).getBoolean("live")).isTrue();
    var ready = h.get("/v2/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(json(ready).getBoolean("ready")).isTrue();
    assertThat(json(h.get("/v2")).getString("name")).isEqualTo("almanac-model-server");
  }

  @Test
  void modelMetadataDescribesTheOnnxSignature() throws Exception {
    var r = h.get("/v2/models/disease");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject m = json(r);
    assertThat(m.getJsonArray("versions")).containsExactly("7");
    assertThat(m.getString("platform")).isEqualTo("onnxruntime_onnx");
    JsonObject in = m.getJsonArray("inputs").getJsonObject(0);
    assertThat(in.getString("name")).isEqualTo("features");
    assertThat(in.getString("datatype")).isEqualTo("FP32");
    assertThat(in.getJsonArray("shape")).containsExactly(-1, 132);
    assertThat(m.getJsonArray("outputs").stream().map(o -> ((JsonObject) o).getString("datatype")))
        .containsExactly("INT64", "FP32");
    assertThat(h.get("/v2/models/disease/versions/7").statusCode()).isEqualTo(200);
    assertThat(json(h.get("/v2/models/covid-cases/ready")).getBoolean("ready")).isTrue();
    assertThat(h.get("/v2/models/covid-cases/versions/3/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void unknownModelOrVersionIs404WithTheKnownOnes() throws Exception {
    var r = h.get("/v2/models/nope");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json(r).getString("error")).contains("'nope'");
    assertThat(json(r).getJsonArray("models")).contains("disease", "covid-cases");
    var v = h.get("/v2/models/disease/versions/6/ready");
    assertThat(v.statusCode()).isEqualTo(404);
    assertThat(json(v).getString("error")).contains("version '6'").contains("serving version 7");
    var infer = h.post("/v2/models/nope/infer", new JsonObject().put("inputs", new JsonArray()));
    assertThat(infer.statusCode()).isEqualTo(404);
  }

  @Test
  void inferReturnsTheClassifierTensorsMatchingMlCore() throws Exception {
    float[] row = new float[132];
    row[0] = 1;
    row[1] = 1;
    JsonArray data = new JsonArray();
    for (float f : row) {
      data.add(f);
    }
    JsonObject req =
        new JsonObject()
            .put("id", "req-1")
            .put(
                "inputs",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("name", "features")
                            .put("datatype", "FP32")
                            .put("shape", new JsonArray().add(1).add(132))
                            .put("data", data)));
    var r = h.post("/v2/models/disease/infer", req);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonObject out = json(r);
    assertThat(out.getString("model_name")).isEqualTo("disease");
    assertThat(out.getString("model_version")).isEqualTo("7");
    assertThat(out.getString("id")).isEqualTo("req-1");
    JsonObject label = out.getJsonArray("outputs").getJsonObject(0);
    JsonObject probs = out.getJsonArray("outputs").getJsonObject(1);
    assertThat(label.getString("datatype")).isEqualTo("INT64");
    assertThat(probs.getJsonArray("shape")).containsExactly(1, 41);
    try (ModelBundle b = ModelBundle.load(classifierDir)) {
      List<DiseasePrediction> top = b.predict(List.of("itching", "skin_rash"), 1);
      int best = label.getJsonArray("data").getInteger(0);
      assertThat(b.classifier().labels().get(best)).isEqualTo(top.get(0).disease());
      assertThat(probs.getJsonArray("data").getDouble(best))
          .isCloseTo(top.get(0).probability(), within(1e-6));
    }
  }

  @Test
  void inferAcceptsNestedDataAndFiltersOutputs() throws Exception {
    JsonArray rows = new JsonArray();
    for (int r = 0; r < 2; r++) {
      JsonArray row = new JsonArray();
      for (int i = 0; i < 132; i++) {
        row.add(i == r ? 1 : 0);
      }
      rows.add(row);
    }
    JsonObject req =
        new JsonObject()
            .put(
                "inputs",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("name", "features")
                            .put("datatype", "FP32")
                            .put("shape", new JsonArray().add(2).add(132))
                            .put("data", rows)))
            .put("outputs", new JsonArray().add(new JsonObject().put("name", "label")));
    var r = h.post("/v2/models/disease/versions/7/infer", req);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonArray outs = json(r).getJsonArray("outputs");
    assertThat(outs).hasSize(1);
    assertThat(outs.getJsonObject(0).getJsonArray("shape")).containsExactly(2);
  }

  @Test
  void forecastEqualsTheBundleForecaster() throws Exception {
    var r = h.post("/v1/forecast", new JsonObject().put("series", "GBR").put("horizon", 14));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonObject f = json(r);
    assertThat(f.getString("series")).isEqualTo("GBR");
    assertThat(f.getString("model")).isEqualTo("covid-cases");
    assertThat(f.getString("version")).isEqualTo("3");
    assertThat(f.getJsonArray("dates"))
        .hasSize(14)
        .first()
        .isEqualTo(TestBundles.lastDate("GBR").plusDays(1).toString());
    try (ModelBundle b = ModelBundle.load(forecastDir)) {
      Forecast expected = b.forecast("GBR", 14);
      for (int i = 0; i < 14; i++) {
        assertThat(f.getJsonArray("values").getDouble(i))
            .isCloseTo(expected.values()[i], within(1e-6));
      }
    }
  }

  @Test
  void forecastDefaultsToTheModelHorizonAndUsesAReplacementHistory() throws Exception {
    JsonObject plain = json(h.post("/v1/forecast", new JsonObject().put("series", "USA")));
    assertThat(plain.getJsonArray("values")).hasSize(28);
    JsonArray history = new JsonArray();
    for (int i = 0; i < 30; i++) {
      history.add(1000.0);
    }
    var r =
        h.post(
            "/v1/forecast",
            new JsonObject().put("series", "USA").put("horizon", 7).put("history", history));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    // a flat 1000/day tail under 0.6·lag1 + 0.4·lag7 + 1 forecasts about 1000 (winsorising may trim
    // a little)
    assertThat(json(r).getJsonArray("values").getDouble(0)).isBetween(900.0, 1100.0);
    assertThat(json(r).getJsonArray("values").getDouble(0))
        .isNotEqualTo(plain.getJsonArray("values").getDouble(0));
  }

  @Test
  void forecastOfAnUnknownSeriesListsTheKnownOnes() throws Exception {
    var r = h.post("/v1/forecast", new JsonObject().put("series", "XXX").put("horizon", 3));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json(r).getString("error")).contains("'XXX'");
    assertThat(json(r).getJsonArray("series")).containsExactly("USA", "GBR", "DEU");
  }

  @Test
  void predictReturnsTopKWithDescriptionsAndPrecautions() throws Exception {
    var r =
        h.post(
            "/v1/predict",
            new JsonObject()
                .put(
                    "symptoms",
                    new JsonArray().add("itching").add("skin_rash").add("nodal_skin_eruptions"))
                .put("topK", 3));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonObject p = json(r);
    assertThat(p.getString("model")).isEqualTo("disease");
    JsonArray preds = p.getJsonArray("predictions");
    assertThat(preds).hasSize(3);
    JsonObject top = preds.getJsonObject(0);
    assertThat(top.getString("disease")).isEqualTo("Fungal infection");
    assertThat(top.getDouble("probability"))
        .isGreaterThan(preds.getJsonObject(1).getDouble("probability"));
    assertThat(top.getString("description")).isNotBlank();
    assertThat(top.getJsonArray("precautions")).isNotEmpty();
    try (ModelBundle b = ModelBundle.load(classifierDir)) {
      List<DiseasePrediction> expected =
          b.predict(List.of("itching", "skin_rash", "nodal_skin_eruptions"), 3);
      for (int i = 0; i < 3; i++) {
        assertThat(preds.getJsonObject(i).getString("disease"))
            .isEqualTo(expected.get(i).disease());
        assertThat(preds.getJsonObject(i).getDouble("probability"))
            .isCloseTo(expected.get(i).probability(), within(1e-6));
        assertThat(preds.getJsonObject(i).getString("description"))
            .isEqualTo(expected.get(i).description());
      }
    }
    assertThat(
            json(h.post(
                    "/v1/predict",
                    new JsonObject().put("symptoms", new JsonArray().add("Skin Rash"))))
                .getJsonArray("predictions"))
        .hasSize(3);
  }

  @Test
  void unknownSymptomsAreNamed() throws Exception {
    var r =
        h.post(
            "/v1/predict",
            new JsonObject()
                .put(
                    "symptoms",
                    new JsonArray().add("itching").add("green_ears").add("purple_toes")));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).getString("error"))
        .contains("green_ears")
        .contains("purple_toes")
        .doesNotContain("itching,");
  }

  @Test
  void modelListAndSeriesViewFeedTheDashboard() throws Exception {
    JsonArray models = json(h.get("/v1/models")).getJsonArray("models");
    assertThat(models).hasSize(2);
    JsonObject covid =
        models.stream()
            .map(JsonObject.class::cast)
            .filter(m -> m.getString("task").equals("forecast"))
            .findFirst()
            .orElseThrow();
    assertThat(covid.getJsonArray("series")).containsExactly("USA", "GBR", "DEU");
    assertThat(covid.getJsonObject("metrics").getDouble("overall.Linear.mase")).isEqualTo(0.91);
    var s = json(h.get("/v1/models/covid-cases/series/DEU"));
    assertThat(s.getJsonObject("history").getJsonArray("values")).hasSize(180);
    assertThat(s.getJsonObject("holdout").getJsonArray("actual")).hasSize(TestBundles.HOLDOUT_DAYS);
    assertThat(s.getJsonObject("holdout").getJsonArray("predicted"))
        .hasSize(TestBundles.HOLDOUT_DAYS);
    assertThat(s.getJsonObject("metrics").getDouble("series.Linear.mase")).isEqualTo(0.9);
    assertThat(h.get("/v1/models/covid-cases/series/XXX").statusCode()).isEqualTo(404);
    assertThat(h.get("/v1/models/disease/series/USA").statusCode()).isEqualTo(400);
  }

  @Test
  void repositoryRoutesAreNotOnTheInferencePort() throws Exception {
    assertThat(h.get("/v2/repository/index").statusCode()).isEqualTo(404);
    assertThat(h.postRaw("/v2/repository/models/disease/load", "{\"uri\": \"/etc\"}").statusCode())
        .isEqualTo(404);
    assertThat(h.server.adminPort()).isEqualTo(-1);
  }
}
