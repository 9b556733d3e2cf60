package dev.almanac.server;

import static org.awaitility.Awaitility.await;

import dev.almanac.server.bundle.BundleModelLoader;
import dev.almanac.server.bundle.ModelSourceResolver;
import dev.almanac.server.metrics.ServerMetrics;
import dev.almanac.server.model.BatchSettings;
import dev.almanac.server.model.ModelLoadException;
import dev.almanac.server.model.ModelLoader;
import dev.almanac.server.monitoring.PayloadLog;
import dev.almanac.testbed.Timeouts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A model server on a free loopback port plus a Vert.x web client pointed at it (and at its admin
 * port, when on).
 */
public final class ServerHarness implements AutoCloseable {
  public static final String ADMIN_TOKEN = "test-admin-token";
  public final ModelServer server;
  public final int port;
  public final Vertx clientVertx = Vertx.vertx();
  public final WebClient client;

  private ServerHarness(ModelServer server, int port) {
    this.server = server;
    this.port = port;
    this.client =
        WebClient.create(
            clientVertx,
            new WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(port)
                .setMaxPoolSize(64)
                .setKeepAlive(true));
  }

  /** The admin port on any free port, with {@link #ADMIN_TOKEN}. */
  public static ServerConfig.Admin admin() {
    return new ServerConfig.Admin(0, ADMIN_TOKEN);
  }

  /**
   * Loads from local bundle directories, and {@code models:/} URIs from {@code registry} (a
   * stand-in for MLflow: URI to bundle directory; a URI it does not hold fails as a missing version
   * would).
   */
  public static Function<ServerMetrics, ModelLoader> bundles(
      ServerConfig c, Map<String, Path> registry) {
    ModelSourceResolver resolver =
        source -> {
          if (!source.startsWith("models:/")) {
            return new ModelSourceResolver.Resolved(Path.of(source), null, null);
          }
          Path dir = registry.get(source);
          if (dir == null) {
            throw new ModelLoadException(
                "cannot load "
                    + source
                    + ": no such version in the test registry "
                    + registry.keySet());
          }
          return new ModelSourceResolver.Resolved(dir, null, null);
        };
    return m ->
        new BundleModelLoader(
            resolver, BatchSettings.ofMillis(c.maxBatchSize(), c.maxDelayMillis()), m);
  }

  /** An admin-port request with {@code token} (null: no Authorization header). */
  public HttpResponse<Buffer> admin(HttpMethod method, String path, String token, Buffer body)
      throws Exception {
    var request =
        client
            .request(method, server.adminPort(), "127.0.0.1", path)
            .putHeader("content-type", "application/json");
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return (body == null ? request.send() : request.sendBuffer(body))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  /** A load on the admin port with the right token. */
  public HttpResponse<Buffer> adminLoad(String model, JsonObject body) throws Exception {
    return admin(
        HttpMethod.POST,
        "/v2/repository/models/" + model + "/load",
        ADMIN_TOKEN,
        body == null ? Buffer.buffer() : body.toBuffer());
  }

  public static ServerConfig config(List<String> models) {
    return ServerConfig.defaults().withModels(models).withPort(0).withBind("127.0.0.1");
  }

  public static Function<ServerMetrics, ModelLoader> bundles(ServerConfig c) {
    return m ->
        new BundleModelLoader(
            ModelSourceResolver.localOnly(),
            BatchSettings.ofMillis(c.maxBatchSize(), c.maxDelayMillis()),
            m);
  }

  /** Starts and waits until every model is loaded (ready). */
  public static ServerHarness ready(ServerConfig c) throws Exception {
    return ready(c, bundles(c));
  }

  public static ServerHarness ready(ServerConfig c, Function<ServerMetrics, ModelLoader> loaders)
      throws Exception {
    ServerHarness h = start(c, loaders);
    await().atMost(Timeouts.seconds(60)).until(h.server::isReady);
    return h;
  }

  public static ServerHarness start(ServerConfig c, Function<ServerMetrics, ModelLoader> loaders)
      throws Exception {
    return start(c, loaders, m -> PayloadLog.OFF);
  }

  /** Starts with a payload log built from the server's metrics; does not wait for readiness. */
  public static ServerHarness start(
      ServerConfig c,
      Function<ServerMetrics, ModelLoader> loaders,
      Function<ServerMetrics, PayloadLog> payloads)
      throws Exception {
    ModelServer s = new ModelServer(c, loaders, payloads);
    int port = s.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return new ServerHarness(s, port);
  }

  public HttpResponse<Buffer> get(String path) throws Exception {
    return client
        .get(path)
        .send()
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  public HttpResponse<Buffer> post(String path, JsonObject body) throws Exception {
    return client
        .post(path)
        .sendJsonObject(body)
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  public HttpResponse<Buffer> postRaw(String path, String body) throws Exception {
    return send(HttpMethod.POST, path, Buffer.buffer(body));
  }

  /**
   * A KServe binary-tensor-data request: {@code json}, then {@code tail}, the JSON's length in the
   * header.
   */
  public HttpResponse<Buffer> postBinary(String path, String json, byte[] tail) throws Exception {
    Buffer head = Buffer.buffer(json);
    return client
        .request(HttpMethod.POST, path)
        .putHeader("content-type", "application/octet-stream")
        .putHeader("Inference-Header-Content-Length", Integer.toString(head.length()))
        .sendBuffer(head.copy().appendBytes(tail))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  public HttpResponse<Buffer> send(HttpMethod method, String path, Buffer body) throws Exception {
    return client
        .request(method, path)
        .putHeader("content-type", "application/json")
        .sendBuffer(body)
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    client.close();
    clientVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    server.stop().get(60, TimeUnit.SECONDS);
  }
}
