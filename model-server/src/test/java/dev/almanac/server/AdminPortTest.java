package dev.almanac.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository routes live on the admin port only, behind a bearer token, and load only {@code
 * models:/} URIs.
 */
class AdminPortTest {
  @TempDir static Path tmp;
  static ServerHarness h;

  @BeforeAll
  static void start() throws Exception {
    Path v1 = TestBundles.classifier(tmp.resolve("v1"), "disease", "1");
    Path v2 = TestBundles.classifier(tmp.resolve("v2"), "disease", "2");
    ServerConfig c = ServerHarness.config(List.of(v1.toString())).withAdmin(ServerHarness.admin());
    h = ServerHarness.ready(c, ServerHarness.bundles(c, Map.of("models:/disease/2", v2)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void aMissingOrWrongTokenGets401BeforeAnythingElse() throws Exception {
    String load = "/v2/repository/models/disease/load";
    var served = h.server.models().peek("disease").orElseThrow();
    Buffer body = new JsonObject().put("uri", "models:/disease/2").toBuffer();
    var missing = h.admin(HttpMethod.POST, load, null, body);
    BadInputTest.assertError(missing, 401, "Authorization: Bearer");
    assertThat(missing.getHeader("WWW-Authenticate")).startsWith("Bearer");
    BadInputTest.assertError(
        h.admin(HttpMethod.POST, load, ServerHarness.ADMIN_TOKEN + "x", body),
        401,
        "invalid bearer token");
    BadInputTest.assertError(
        h.admin(HttpMethod.GET, "/nothing", "", null), 401, "Authorization: Bearer");
    var basic =
        h.client
            .request(HttpMethod.GET, h.server.adminPort(), "127.0.0.1", "/v2/repository/index")
            .putHeader("Authorization", "Basic " + ServerHarness.ADMIN_TOKEN)
            .send()
            .toCompletionStage()
            .toCompletableFuture()
            .get();
    BadInputTest.assertError(basic, 401, "Bearer");
    // nothing was loaded
    assertThat(h.server.models().peek("disease").orElseThrow()).isSameAs(served);
  }

  @Test
  void withTheTokenTheRepositoryRoutesWorkForRegistryUrisOnly() throws Exception {
    var index = h.admin(HttpMethod.GET, "/v2/repository/index", ServerHarness.ADMIN_TOKEN, null);
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.bodyAsJsonObject().getJsonArray("models").getJsonObject(0).getString("name"))
        .isEqualTo("disease");
    BadInputTest.assertError(
        h.adminLoad("disease", new JsonObject().put("uri", tmp.resolve("v2").toString())),
        400,
        "'uri' must be a models:/ URI",
        tmp.resolve("v2").toString());
    BadInputTest.assertError(
        h.adminLoad("disease", new JsonObject().put("uri", "s3://bucket/model")), 400, "models:/");
    BadInputTest.assertError(
        h.adminLoad("disease", new JsonObject().put("parameters", 3)),
        400,
        "'parameters' must be an object");
    BadInputTest.assertError(
        h.adminLoad("disease", new JsonObject().put("url", "models:/disease/2")),
        400,
        "unknown field(s) [url]");
    var loaded = h.adminLoad("disease", new JsonObject().put("uri", "models:/disease/2"));
    assertThat(loaded.statusCode()).as(loaded.bodyAsString()).isEqualTo(200);
    assertThat(loaded.bodyAsJsonObject().getString("version")).isEqualTo("2");
    // the inference routes are not on the admin port, the repository routes not on the inference
    // port
    BadInputTest.assertError(
        h.admin(HttpMethod.POST, "/v1/predict", ServerHarness.ADMIN_TOKEN, Buffer.buffer("{}")),
        404,
        "no route");
    BadInputTest.assertError(
        h.postRaw("/v2/repository/models/disease/load", "{}"), 404, "no route");
  }
}
