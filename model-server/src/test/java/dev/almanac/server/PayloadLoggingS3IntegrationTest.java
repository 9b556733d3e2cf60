package dev.almanac.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.registry.S3ArtifactStore;
import dev.almanac.registry.S3Settings;
import dev.almanac.server.monitoring.PayloadLog;
import dev.almanac.server.monitoring.PayloadLogs;
import dev.almanac.testbed.S3TestBed;
import dev.almanac.testbed.Timeouts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sampled request logging against the test bed's real S3 server (moto): the server is configured
 * through the same environment the operator writes, every request of a 100 % sample arrives as one
 * JSON line, and what is still queued at shutdown is written before the server exits.
 */
@Tag("integration")
@ExtendWith(S3TestBed.class)
class PayloadLoggingS3IntegrationTest {
  @TempDir Path tmp;

  @Test
  void everySampledRequestLandsInS3AsAJsonLine(S3TestBed.Endpoints s3) throws Exception {
    String prefix = "payloads/disease-" + System.nanoTime();
    var env = new HashMap<>(s3.env());
    env.put("ALMANAC_PAYLOAD_LOG_URI", "s3://" + s3.bucket() + "/" + prefix);
    env.put("ALMANAC_PAYLOAD_LOG_SAMPLE_RATE", "1");
    env.put("ALMANAC_PAYLOAD_LOG_BATCH", "5");
    // an hour: only full batches are written while serving, the rest by the shutdown flush
    env.put("ALMANAC_PAYLOAD_LOG_FLUSH_SECONDS", "3600");
    ServerConfig c =
        ServerHarness.config(
            List.of(TestBundles.classifier(tmp.resolve("disease"), "disease", "4").toString()));
    ServerHarness h =
        ServerHarness.start(
            c, ServerHarness.bundles(c), m -> PayloadLogs.fromEnv(env, m.registry()));
    PayloadLog log = h.server.payloads();
    assertThat(log.enabled()).isTrue();
    org.awaitility.Awaitility.await().atMost(Timeouts.seconds(60)).until(h.server::isReady);

    List<String> symptoms = List.of("itching", "skin_rash", "chills", "vomiting");
    for (int i = 0; i < 12; i++) {
      var r =
          h.post(
              "/v1/predict",
              new JsonObject()
                  .put("symptoms", new JsonArray().add(symptoms.get(i % 4)).add("fatigue"))
                  .put("topK", 2));
      assertThat(r.statusCode()).isEqualTo(200);
    }
    assertThat(
            h.post("/v1/predict", new JsonObject().put("symptoms", new JsonArray().add("nope")))
                .statusCode())
        .as("a refused request is not logged")
        .isEqualTo(400);
    h.close(); // 2 full batches went out while serving, the last 2 records at shutdown

    try (var store = new S3ArtifactStore(S3Settings.fromEnv(env))) {
      var keys =
          store
              .client()
              .listObjectsV2(b -> b.bucket(s3.bucket()).prefix(prefix + "/"))
              .contents()
              .stream()
              .map(o -> o.key())
              .sorted()
              .toList();
      assertThat(keys).hasSize(3).allMatch(k -> k.endsWith(".jsonl.zst"));
      List<JsonObject> lines = new ArrayList<>();
      for (String key : keys) {
        byte[] zst =
            store.client().getObjectAsBytes(b -> b.bucket(s3.bucket()).key(key)).asByteArray();
        String body;
        try (var in =
            new com.github.luben.zstd.ZstdInputStream(new java.io.ByteArrayInputStream(zst))) {
          body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        body.lines().map(JsonObject::new).forEach(lines::add);
      }
      assertThat(lines).hasSize(12);
      assertThat(lines)
          .allSatisfy(
              l -> {
                assertThat(l.getString("route")).isEqualTo("/v1/predict");
                assertThat(l.getString("model")).isEqualTo("disease");
                assertThat(l.getString("version")).isEqualTo("4");
                assertThat(l.getJsonObject("request").getInteger("topK")).isEqualTo(2);
                assertThat(l.getJsonObject("request").getJsonArray("symptoms")).contains("fatigue");
                assertThat(l.getJsonObject("response").getJsonArray("predictions")).hasSize(2);
              });
      assertThat(
              lines.stream()
                  .map(l -> l.getJsonObject("request").getJsonArray("symptoms").getString(0))
                  .distinct())
          .containsExactlyInAnyOrderElementsOf(symptoms);
    }
    assertThat(
            h.server
                .metrics()
                .registry()
                .get("almanac.server.payload.log.written")
                .counter()
                .count())
        .isEqualTo(12);
    assertThat(
            h.server
                .metrics()
                .registry()
                .get("almanac.server.payload.log.dropped")
                .counter()
                .count())
        .isZero();
  }
}
