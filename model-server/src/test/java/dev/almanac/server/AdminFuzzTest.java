package dev.almanac.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.server.bundle.BundleModelLoader;
import dev.almanac.server.bundle.ModelSourceResolver;
import dev.almanac.server.metrics.ServerMetrics;
import dev.almanac.server.model.BatchSettings;
import dev.almanac.server.model.ModelLoader;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: on the admin port, with the right token, a malformed request (bad JSON, a body over the
 * limit, a wrong method, a path-walking model name, a URI outside the server's own {@code models:/}
 * registry) gets a 4xx and never reaches the loader. The registry behind the server holds a
 * loadable version, so a request that slipped through would load it. Seeded, so a failure replays.
 */
class AdminFuzzTest {
  static final int BODY_LIMIT = 64 * 1024;
  static final List<String> BAD_NAMES =
      List.of(
          "..",
          "%2e%2e",
          "%2E%2E",
          ".",
          "..%2F..%2Fetc%2Fpasswd",
          "disease%2F..",
          "a%5Cb",
          "%00",
          "dis%0Aease",
          "%20disease",
          "..%5C..%5Cwindows");
  static final List<String> BAD_URIS =
      List.of(
          "models://other-registry/disease/2",
          "models:///disease/2",
          "models:/../2",
          "models:/./2",
          "models:/disease/2/../../etc",
          "models:/disease/../2",
          "models:/disease",
          "models:/disease/",
          "models:/disease@",
          "models:/@champion",
          "models:/disease/2?x=1",
          "models:/disease/-1",
          "models:/disease/0",
          "models:/disease/2\u0000",
          "models:/dis\\ease/2",
          " models:/disease/2",
          "MODELS:/disease/2",
          "models:disease/2",
          "runs:/0123456789abcdef/model",
          "mlflow-artifacts:/0/abc/artifacts/model",
          "s3://bucket/disease/2",
          "file:///etc/passwd",
          "/etc/passwd",
          "../../etc/passwd",
          "http://169.254.169.254/latest/meta-data/",
          "https://example.com/model.onnx",
          "");
  static final List<HttpMethod> WRONG_METHODS =
      List.of(
          HttpMethod.PUT,
          HttpMethod.DELETE,
          HttpMethod.PATCH,
          HttpMethod.GET,
          HttpMethod.OPTIONS,
          HttpMethod.TRACE,
          HttpMethod.HEAD);

  @TempDir static Path tmp;
  static ServerHarness h;
  static final AtomicInteger resolved = new AtomicInteger();
  static Path v2;

  @BeforeAll
  static void start() throws Exception {
    Path v1 = TestBundles.classifier(tmp.resolve("v1"), "disease", "1");
    v2 = TestBundles.classifier(tmp.resolve("v2"), "disease", "2");
    ServerConfig c =
        ServerHarness.config(List.of(v1.toString()))
            .withLimits(365, BODY_LIMIT)
            .withAdmin(ServerHarness.admin());
    h = ServerHarness.ready(c, countingLoader(c));
    resolved.set(0); // the start-up load of v1 does not count
  }

  /** Local directories as they are; {@code models:/disease/2} is v2; every resolve is counted. */
  static Function<ServerMetrics, ModelLoader> countingLoader(ServerConfig c) {
    ModelSourceResolver resolver =
        source -> {
          resolved.incrementAndGet();
          Path dir = source.equals("models:/disease/2") ? v2 : Path.of(source);
          return new ModelSourceResolver.Resolved(dir, null, null);
        };
    return m ->
        new BundleModelLoader(
            resolver, BatchSettings.ofMillis(c.maxBatchSize(), c.maxDelayMillis()), m);
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void malformedAdminRequestsGet4xxAndNeverLoad() throws Exception {
    Random rnd = new Random(20261207L);
    String valid = "{\"uri\": \"models:/disease/2\"}";
    for (int i = 0; i < 400; i++) {
      HttpMethod method = HttpMethod.POST;
      String path = "/v2/repository/models/disease/load";
      Buffer body;
      switch (i % 6) {
        case 0 -> // broken JSON around a loadable URI
            body = Buffer.buffer(mutateUntilInvalid(rnd, valid));
        case 1 -> { // over the body limit
          byte[] b = new byte[BODY_LIMIT + 1 + rnd.nextInt(4 * BODY_LIMIT)];
          rnd.nextBytes(b);
          body =
              rnd.nextBoolean()
                  ? Buffer.buffer(b)
                  : Buffer.buffer(
                      "{\"uri\": \"models:/disease/2\", \"pad\": \""
                          + "x".repeat(b.length)
                          + "\"}");
        }
        case 2 -> { // a method the route does not take
          method = WRONG_METHODS.get(rnd.nextInt(WRONG_METHODS.size()));
          body = Buffer.buffer(valid);
        }
        case 3 -> { // a model name that walks paths, with a loadable URI
          path = "/v2/repository/models/" + BAD_NAMES.get(rnd.nextInt(BAD_NAMES.size())) + "/load";
          body = Buffer.buffer(valid);
        }
        case 4 -> { // a URI outside the server's registry, as uri or parameters.uri
          String uri = BAD_URIS.get(rnd.nextInt(BAD_URIS.size()));
          JsonObject o =
              rnd.nextBoolean()
                  ? new JsonObject().put("uri", uri)
                  : new JsonObject().put("parameters", new JsonObject().put("uri", uri));
          body = o.toBuffer();
        }
        default -> body = randomMalformed(rnd);
      }
      var r = h.admin(method, path, ServerHarness.ADMIN_TOKEN, body);
      String what = method + " " + path + " " + abbreviate(body);
      assertThat(r.statusCode()).as("%s -> %s", what, r.bodyAsString()).isBetween(400, 499);
      if (method != HttpMethod.HEAD && r.statusCode() != 413) {
        assertThat(new JsonObject(r.bodyAsString()).getString("error")).as(what).isNotBlank();
      }
      assertThat(resolved.get()).as("a load was attempted by %s", what).isZero();
    }
    assertThat(h.server.models().peek("disease").orElseThrow().version()).isEqualTo("1");
    // the probe works: the same port and token with a well-formed request do load
    var ok = h.adminLoad("disease", new JsonObject(valid));
    assertThat(ok.statusCode()).as(ok.bodyAsString()).isEqualTo(200);
    assertThat(resolved.get()).isEqualTo(1);
    assertThat(h.server.models().peek("disease").orElseThrow().version()).isEqualTo("2");
  }

  /**
   * Random JSON or random bytes, but never a well-formed reload (an empty body or an object with
   * only {@code uri}/{@code parameters} may legitimately reload the served version).
   */
  static Buffer randomMalformed(Random rnd) {
    while (true) {
      Buffer b =
          rnd.nextBoolean()
              ? Buffer.buffer(String.valueOf(FuzzTest.randomJson(rnd, 0)))
              : FuzzTest.randomBytes(rnd);
      if (b.length() == 0) {
        continue;
      }
      try {
        JsonObject o = new JsonObject(b);
        if (List.of("uri", "parameters").containsAll(o.fieldNames())) {
          continue;
        }
      } catch (RuntimeException notAnObject) {
        // not a JSON object: malformed for the load route
      }
      return b;
    }
  }

  /** Mutates a valid body until it is no longer valid JSON (a mutation may leave it valid). */
  static String mutateUntilInvalid(Random rnd, String valid) {
    while (true) {
      String s = FuzzTest.mutate(rnd, valid);
      try {
        new JsonObject(s);
      } catch (RuntimeException e) {
        return s;
      }
    }
  }

  static String abbreviate(Buffer b) {
    String s =
        b.length() > 120 ? b.getString(0, 120) + "…(" + b.length() + " bytes)" : b.toString();
    return s.replaceAll("\\p{Cntrl}", "?");
  }
}
