package dev.almanac.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.almanac.server.model.ServedModel;
import dev.almanac.testbed.Timeouts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v2/repository/models/{name}/load} on the admin port: swaps under load without a
 * failed request; a failed load keeps serving. Versions come from a stand-in registry ({@code
 * models:/} URIs).
 */
@ExtendWith(VertxExtension.class)
class HotReloadTest {
  @TempDir Path tmp;
  ServerHarness h;
  Path v1;
  Path v2;

  @BeforeEach
  void start() throws Exception {
    v1 = TestBundles.classifier(tmp.resolve("v1"), "disease", "1");
    v2 = TestBundles.classifier(tmp.resolve("v2"), "disease", "2");
    Path broken = TestBundles.broken(tmp.resolve("broken"), "disease");
    ServerConfig c = ServerHarness.config(List.of(v1.toString())).withAdmin(ServerHarness.admin());
    h =
        ServerHarness.ready(
            c,
            ServerHarness.bundles(
                c,
                Map.of(
                    "models:/disease/1",
                    v1,
                    "models:/disease/2",
                    v2,
                    "models:/disease/3",
                    broken)));
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
  }

  @Test
  void swapsVersionsUnderConcurrentLoadWithoutAFailedRequest() throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    List<String> failures = new CopyOnWriteArrayList<>();
    Set<String> versionsSeen = ConcurrentHashMap.newKeySet();
    AtomicInteger done = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<?>> clients = new java.util.ArrayList<>();
    for (int c = 0; c < 6; c++) {
      boolean predict = c % 2 == 0;
      clients.add(
          pool.submit(
              () -> {
                while (running.get()) {
                  try {
                    var r =
                        predict
                            ? h.post(
                                "/v1/predict",
                                new JsonObject()
                                    .put(
                                        "symptoms",
                                        new JsonArray().add("itching").add("skin_rash")))
                            : h.postRaw(
                                "/v2/models/disease/infer",
                                BadInputTest.features("FP32", "[1,132]", BadInputTest.zeros(132)));
                    if (r.statusCode() != 200) {
                      failures.add(r.statusCode() + " " + r.bodyAsString());
                    } else {
                      JsonObject b = r.bodyAsJsonObject();
                      versionsSeen.add(
                          predict ? b.getString("version") : b.getString("model_version"));
                    }
                    done.incrementAndGet();
                  } catch (Exception e) {
                    failures.add(e.toString());
                  }
                }
                return null;
              }));
    }
    await().atMost(Timeouts.seconds(30)).until(() -> done.get() > 50);
    ServedModel first = h.server.models().peek("disease").orElseThrow();
    for (String next : List.of("models:/disease/2", "models:/disease/1", "models:/disease/2")) {
      int before = done.get();
      var r = h.adminLoad("disease", new JsonObject().put("uri", next));
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      await().atMost(Timeouts.seconds(30)).until(() -> done.get() > before + 50);
    }
    running.set(false);
    for (Future<?> f : clients) {
      f.get();
    }
    pool.shutdown();
    assertThat(failures).isEmpty();
    assertThat(versionsSeen).containsExactlyInAnyOrder("1", "2");
    assertThat(h.server.models().peek("disease").orElseThrow().version()).isEqualTo("2");
    // the replaced version closed itself once its last in-flight request finished
    await().atMost(Timeouts.seconds(10)).until(first::isClosed);
    assertThat(h.get("/metrics").bodyAsString())
        .contains(
            "almanac_server_model_info{model=\"disease\",task=\"classification\",version=\"2\"} 1")
        .doesNotContain(
            "almanac_server_model_info{model=\"disease\",task=\"classification\",version=\"1\"}");
  }

  @Test
  void aFailedLoadKeepsTheOldVersionServingAndIsCounted() throws Exception {
    var r =
        h.adminLoad(
            "disease",
            new JsonObject().put("parameters", new JsonObject().put("uri", "models:/disease/3")));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getString("error")).contains("still serving version 1");
    var p = h.post("/v1/predict", new JsonObject().put("symptoms", new JsonArray().add("itching")));
    assertThat(p.statusCode()).isEqualTo(200);
    assertThat(p.bodyAsJsonObject().getString("version")).isEqualTo("1");
    assertThat(h.get("/v2/health/ready").statusCode()).isEqualTo(200);
    assertThat(h.get("/metrics").bodyAsString())
        .contains("almanac_server_model_load_failures_total{model=\"disease\"} 1");
  }

  @Test
  void reloadWithoutABodyReloadsTheSameSourceAndUnknownModelsNeedAUri() throws Exception {
    var r = h.adminLoad("disease", null);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getString("previousVersion")).isEqualTo("1");
    var unknown = h.adminLoad("other", null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.bodyAsJsonObject().getString("error")).contains("'other'").contains("uri");
  }
}
