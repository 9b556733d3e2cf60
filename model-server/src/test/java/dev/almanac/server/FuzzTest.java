package dev.almanac.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: whatever the body, no route answers 5xx (and every request gets an answer). Bodies are
 * random JSON shaped like the real requests, random JSON of any shape, mutated valid requests and
 * random bytes; the seed is fixed so a failure replays.
 */
class FuzzTest {
  static final List<String> POST_ROUTES =
      List.of(
          "/v1/predict",
          "/v1/forecast",
          "/v2/models/disease/infer",
          "/v2/models/covid-cases/infer",
          "/v2/models/disease/versions/1/infer",
          "/v2/repository/models/disease/load",
          "/v2/repository/index",
          "/v2/models/nope/infer");
  static final List<String> GET_ROUTES =
      List.of(
          "/",
          "/docs",
          "/openapi.json",
          "/metrics",
          "/v1/models",
          "/v2",
          "/v2/health/live",
          "/v2/health/ready",
          "/v2/models/disease",
          "/v2/models/disease/ready",
          "/v1/models/covid-cases/series/USA",
          "/v1/models/%2e%2e/series/x",
          "/v2/models/%00",
          "/assets/../../etc/passwd",
          "/webjars/../x");
  static final String[] WORDS = {
    "symptoms",
    "topK",
    "series",
    "horizon",
    "history",
    "model",
    "inputs",
    "outputs",
    "name",
    "datatype",
    "shape",
    "data",
    "id",
    "parameters",
    "uri",
    "features",
    "FP32",
    "INT64",
    "BOOL",
    "FP64",
    "itching",
    "USA"
  };

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
                .withLimits(365, 64 * 1024)
                .withAdmin(ServerHarness.admin()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void randomBodiesNeverGet5xx() throws Exception {
    Random rnd = new Random(20261125);
    for (int i = 0; i < 600; i++) {
      String route = POST_ROUTES.get(rnd.nextInt(POST_ROUTES.size()));
      Buffer body =
          switch (i % 4) {
            case 0 -> Buffer.buffer(shaped(rnd).encode());
            case 1 -> Buffer.buffer(String.valueOf(randomJson(rnd, 0)));
            case 2 -> Buffer.buffer(mutate(rnd, valid(route)));
            default -> randomBytes(rnd);
          };
      var r = h.send(HttpMethod.POST, route, body);
      assertThat(r.statusCode()).as("%s %s -> %s", route, body, r.bodyAsString()).isLessThan(500);
      if (r.statusCode() >= 400) {
        assertThat(new JsonObject(r.bodyAsString()).getString("error")).as(route).isNotBlank();
      }
    }
    for (String path : GET_ROUTES) {
      var r = h.get(path);
      assertThat(r.statusCode()).as(path).isLessThan(500);
    }
  }

  /**
   * The admin port: random bodies with the token never get 5xx; without it, or with a random or
   * mutated one, every request gets 401 and nothing is loaded.
   */
  @Test
  void adminRoutesNeverGet5xxAndRefuseBadTokens() throws Exception {
    Random rnd = new Random(20261207);
    List<String> paths =
        List.of(
            "/v2/repository/models/disease/load",
            "/v2/repository/index",
            "/v2/repository/models/nope/load",
            "/v2/repository/models/%00/load",
            "/v1/predict",
            "/",
            "/metrics");
    String version = h.server.models().peek("disease").orElseThrow().version();
    for (int i = 0; i < 300; i++) {
      String path = paths.get(rnd.nextInt(paths.size()));
      HttpMethod method = rnd.nextInt(4) == 0 ? HttpMethod.GET : HttpMethod.POST;
      Buffer body =
          switch (i % 4) {
            case 0 ->
                Buffer.buffer(
                    shaped(rnd)
                        .put(
                            "uri",
                            rnd.nextBoolean() ? "models:/disease/" + rnd.nextInt(3) : "/etc/passwd")
                        .encode());
            case 1 -> Buffer.buffer(String.valueOf(randomJson(rnd, 0)));
            case 2 ->
                Buffer.buffer(
                    mutate(
                        rnd,
                        "{\"uri\": \"models:/disease/1\", \"parameters\": {\"uri\": \"models:/disease/1\"}}"));
            default -> randomBytes(rnd);
          };
      String token =
          switch (rnd.nextInt(4)) {
            case 0 -> ServerHarness.ADMIN_TOKEN;
            case 1 -> null;
            case 2 -> mutate(rnd, ServerHarness.ADMIN_TOKEN);
            default ->
                rnd.ints(rnd.nextInt(40), 0x21, 0x7f)
                    .collect(
                        StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                    .toString();
          };
      var r = h.admin(method, path, token, body);
      assertThat(r.statusCode())
          .as("%s %s %s -> %s", method, path, body, r.bodyAsString())
          .isLessThan(500);
      if (!ServerHarness.ADMIN_TOKEN.equals(token == null ? null : token.strip())) {
        assertThat(r.statusCode()).as("%s with token %s", path, token).isEqualTo(401);
      }
    }
    // the test registry holds no version: no load through the admin port could succeed
    assertThat(h.server.models().peek("disease").orElseThrow().version()).isEqualTo(version);
  }

  static String valid(String route) {
    if (route.contains("predict")) {
      return "{\"symptoms\": [\"itching\", \"skin_rash\"], \"topK\": 3}";
    } else if (route.contains("forecast")) {
      return "{\"series\": \"USA\", \"horizon\": 7, \"history\": [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]}";
    } else if (route.contains("covid")) {
      return BadInputTest.features("FP32", "[1,13]", BadInputTest.zeros(13));
    }
    return BadInputTest.features("FP32", "[1,132]", BadInputTest.zeros(132));
  }

  /** Deletes, duplicates or replaces a few characters of a valid body. */
  static String mutate(Random rnd, String s) {
    StringBuilder sb = new StringBuilder(s);
    int edits = 1 + rnd.nextInt(3);
    for (int e = 0; e < edits && sb.length() > 0; e++) {
      int at = rnd.nextInt(sb.length());
      switch (rnd.nextInt(3)) {
        case 0 -> sb.deleteCharAt(at);
        case 1 -> sb.insert(at, sb.charAt(at));
        default -> sb.setCharAt(at, "{}[]\",:-0.9eE tfn\\".charAt(rnd.nextInt(18)));
      }
    }
    return sb.toString();
  }

  static JsonObject shaped(Random rnd) {
    JsonObject o = new JsonObject();
    int n = rnd.nextInt(5);
    for (int i = 0; i < n; i++) {
      o.put(WORDS[rnd.nextInt(WORDS.length)], randomJson(rnd, 1));
    }
    if (rnd.nextBoolean()) {
      JsonObject in =
          new JsonObject()
              .put("name", rnd.nextBoolean() ? "features" : "x")
              .put("datatype", WORDS[16 + rnd.nextInt(4)])
              .put("shape", new JsonArray().add(rnd.nextInt(3) - 1).add(rnd.nextInt(140)))
              .put("data", randomJson(rnd, 1));
      o.put("inputs", new JsonArray().add(in));
    }
    return o;
  }

  static Object randomJson(Random rnd, int depth) {
    int k = depth > 3 ? rnd.nextInt(5) : rnd.nextInt(8);
    return switch (k) {
      case 0 -> null;
      case 1 -> rnd.nextBoolean();
      case 2 -> rnd.nextInt(2000) - 1000;
      case 3 -> rnd.nextBoolean() ? rnd.nextGaussian() * 1e6 : Double.MAX_VALUE;
      case 4 -> WORDS[rnd.nextInt(WORDS.length)];
      case 5, 6 -> {
        JsonArray a = new JsonArray();
        int n = rnd.nextInt(6);
        for (int i = 0; i < n; i++) {
          a.add(randomJson(rnd, depth + 1));
        }
        yield a;
      }
      default -> {
        JsonObject o = new JsonObject();
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
          o.put(WORDS[rnd.nextInt(WORDS.length)], randomJson(rnd, depth + 1));
        }
        yield o;
      }
    };
  }

  static Buffer randomBytes(Random rnd) {
    byte[] b = new byte[rnd.nextInt(200)];
    rnd.nextBytes(b);
    if (rnd.nextBoolean()) {
      return Buffer.buffer(
          new String(b, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.UTF_8));
    }
    return Buffer.buffer(b);
  }
}
