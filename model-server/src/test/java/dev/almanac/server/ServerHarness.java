package dev.almanac.server;

import dev.almanac.testbed.Timeouts;
import static org.awaitility.Awaitility.await;

import dev.almanac.server.bundle.BundleModelLoader;
import dev.almanac.server.bundle.ModelSourceResolver;
import dev.almanac.server.metrics.ServerMetrics;
import dev.almanac.server.model.BatchSettings;
import dev.almanac.server.model.ModelLoader;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A model server on a free loopback port plus a Vert.x web client pointed at it. */
public final class ServerHarness implements AutoCloseable {
  public final ModelServer server;
  public final int port;
  public final Vertx clientVertx = Vertx.vertx();
  public final WebClient client;

  private ServerHarness(ModelServer server, int port) {
    this.server = server;
    this.port = port;
    this.client = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setMaxPoolSize(64).setKeepAlive(true));
  }

  public static ServerConfig config(List<String> models) {
    return ServerConfig.defaults().withModels(models).withPort(0).withBind("127.0.0.1");
  }

  public static Function<ServerMetrics, ModelLoader> bundles(ServerConfig c) {
    return m -> new BundleModelLoader(ModelSourceResolver.localOnly(), BatchSettings.ofMillis(c.maxBatchSize(), c.maxDelayMillis()), m);
  }

  /** Starts and waits until every model is loaded (ready). */
  public static ServerHarness ready(ServerConfig c) throws Exception {
    ServerHarness h = start(c, bundles(c));
    await().atMost(Timeouts.seconds(60)).until(h.server::isReady);
    return h;
  }

  public static ServerHarness start(ServerConfig c, Function<ServerMetrics, ModelLoader> loaders) throws Exception {
    ModelServer s = new ModelServer(c, loaders);
    int port = s.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return new ServerHarness(s, port);
  }

  public HttpResponse<Buffer> get(String path) throws Exception {
    return client.get(path).send().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  public HttpResponse<Buffer> post(String path, JsonObject body) throws Exception {
    return client.post(path).sendJsonObject(body).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  public HttpResponse<Buffer> postRaw(String path, String body) throws Exception {
    return send(HttpMethod.POST, path, Buffer.buffer(body));
  }

  /** A KServe binary-tensor-data request: {@code json}, then {@code tail}, the JSON's length in the header. */
  public HttpResponse<Buffer> postBinary(String path, String json, byte[] tail) throws Exception {
    Buffer head = Buffer.buffer(json);
    return client.request(HttpMethod.POST, path).putHeader("content-type", "application/octet-stream")
        .putHeader("Inference-Header-Content-Length", Integer.toString(head.length()))
        .sendBuffer(head.copy().appendBytes(tail)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  public HttpResponse<Buffer> send(HttpMethod method, String path, Buffer body) throws Exception {
    return client.request(method, path).putHeader("content-type", "application/json").sendBuffer(body)
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    client.close();
    clientVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    server.stop().get(60, TimeUnit.SECONDS);
  }
}
