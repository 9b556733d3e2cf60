package dev.almanac.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} exports exactly the names and labels of the metrics contract (METRICS.md).
 */
class MetricsTest {
  @TempDir static Path tmp;
  static ServerHarness h;

  @BeforeAll
  static void start() throws Exception {
    h =
        ServerHarness.ready(
            ServerHarness.config(
                    List.of(
                        TestBundles.classifier(tmp.resolve("disease"), "disease", "5").toString()))
                .withAdmin(ServerHarness.admin()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void exportsTheContractNamesWithTheirLabels() throws Exception {
    assertThat(
            h.post("/v1/predict", new JsonObject().put("symptoms", new JsonArray().add("itching")))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            h.post("/v1/predict", new JsonObject().put("symptoms", new JsonArray().add("nope")))
                .statusCode())
        .isEqualTo(400);
    assertThat(
            h.adminLoad("disease", new JsonObject().put("uri", "models:/disease/9")).statusCode())
        .isEqualTo(400);
    assertThat(h.admin(HttpMethod.GET, "/v2/repository/index", null, null).statusCode())
        .isEqualTo(401);
    assertThat(h.admin(HttpMethod.GET, "/v2/repository/index", "wrong", null).statusCode())
        .isEqualTo(401);
    assertThat(h.admin(HttpMethod.GET, "/v2/repository/index", "wrong", null).statusCode())
        .isEqualTo(401);
    assertThat(
            h.postRaw(
                    "/v2/models/disease/infer",
                    BadInputTest.features("FP32", "[1,132]", BadInputTest.zeros(132)))
                .statusCode())
        .isEqualTo(200);
    assertThat(h.get("/v2/models/unknown-" + System.nanoTime()).statusCode()).isEqualTo(404);
    var r = h.get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("content-type")).startsWith("text/plain");
    String text = r.bodyAsString();
    assertThat(text)
        .contains(
            "almanac_server_requests_total{code=\"200\",model=\"disease\",route=\"/v1/predict\",version=\"5\"} 1")
        .contains(
            "almanac_server_requests_total{code=\"400\",model=\"disease\",route=\"/v1/predict\",version=\"5\"} 1")
        .contains(
            "almanac_server_request_duration_seconds_bucket{model=\"disease\",route=\"/v1/predict\",version=\"5\",le=")
        .contains(
            "almanac_server_request_duration_seconds_count{model=\"disease\",route=\"/v1/predict\",version=\"5\"} 2")
        .contains(
            "almanac_server_inference_duration_seconds_bucket{model=\"disease\",version=\"5\",le=")
        .contains("almanac_server_batch_size_bucket{model=\"disease\",le=\"1.0\"}")
        .contains("almanac_server_batch_size_count{model=\"disease\"}")
        .contains("almanac_server_model_load_duration_seconds_bucket{model=\"disease\",le=")
        .contains("almanac_server_model_load_failures_total{model=\"disease\"} 1")
        .contains(
            "almanac_server_model_info{model=\"disease\",task=\"classification\",version=\"5\"} 1")
        .contains(
            "almanac_server_requests_total{code=\"200\",model=\"disease\",route=\"/v2/models/{name}/infer\",version=\"5\"} 1")
        .contains(
            "almanac_server_requests_total{code=\"404\",model=\"\",route=\"/v2/models/{name}\",version=\"\"} 1")
        .contains("almanac_server_ready 1")
        .contains("almanac_server_admin_unauthorized_total{reason=\"missing\"} 1")
        .contains("almanac_server_admin_unauthorized_total{reason=\"invalid\"} 2");
    // unknown model names never become label values (bounded cardinality)
    assertThat(text).doesNotContain("unknown-");
    assertThat(text)
        .contains("# TYPE almanac_server_requests_total counter")
        .contains("# TYPE almanac_server_model_info gauge")
        .contains("# TYPE almanac_server_ready gauge")
        .contains("# TYPE almanac_server_batch_size histogram");
  }
}
