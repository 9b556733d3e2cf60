package dev.almanac.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback proxy in front of a real {@link MlflowServer} that a test can turn into two other
 * registries, each differing from the real server in one observable way:
 *
 * <ul>
 *   <li>{@link #refusingStages}: a registry without stages, as Unity Catalog is. The two stage
 *       endpoints ({@code transition-stage}, {@code get-latest-versions}) answer {@code 404
 *       ENDPOINT_NOT_FOUND}, Databricks' answer for a REST method it does not have, and {@code
 *       current_stage} is dropped from every JSON answer (UC versions carry no stage). Aliases,
 *       tags, runs and the artifact proxy stay the real server's. MLflow 3 still serves stages and
 *       Unity Catalog cannot run here, so this reproduces the contract, not the product.
 *   <li>{@link #goDown()} / {@link #comeBack()}: an MLflow that stops answering (connections
 *       refused on the same port) and later returns, without stopping the shared server.
 * </ul>
 */
public final class MlflowProxy implements AutoCloseable {
  static final Set<String> STAGE_ENDPOINTS =
      Set.of("model-versions/transition-stage", "registered-models/get-latest-versions");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI upstream;
  private final boolean refuseStages;
  private final int port;
  private HttpServer server;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicInteger refused = new AtomicInteger();
  private final java.util.concurrent.ExecutorService executor =
      Executors.newFixedThreadPool(
          4,
          r -> {
            var t = new Thread(r, "mlflow-proxy");
            t.setDaemon(true);
            return t;
          });

  private MlflowProxy(URI upstream, boolean refuseStages) {
    this.upstream = upstream;
    this.refuseStages = refuseStages;
    this.server = listen(0);
    this.port = server.getAddress().getPort();
  }

  /** A proxy that passes everything through (until {@link #goDown()}). */
  public static MlflowProxy passingThrough(URI upstream) {
    return new MlflowProxy(upstream, false);
  }

  /**
   * A proxy for a registry without stages, in front of the MLflow at {@code upstream} (its tracking
   * URI).
   */
  public static MlflowProxy refusingStages(URI upstream) {
    return new MlflowProxy(upstream, true);
  }

  /** The tracking URI clients use instead of the real server's. */
  public URI trackingUri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Stops listening: clients get "connection refused" until {@link #comeBack()}. */
  public synchronized void goDown() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  /** Listens again on the same port. */
  public synchronized void comeBack() {
    if (server == null) {
      server = listen(port);
    }
  }

  private HttpServer listen(int onPort) {
    try {
      var http = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 0);
      http.createContext("/", this::handle);
      http.setExecutor(executor);
      http.start();
      return http;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on 127.0.0.1:" + onPort + " for the MLflow proxy", e);
    }
  }

  /**
   * How many stage calls were refused so far (a test asserts the code under test tried, or never
   * did).
   */
  public int refusedStageCalls() {
    return refused.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      var path = exchange.getRequestURI().getRawPath();
      if (refuseStages && STAGE_ENDPOINTS.stream().anyMatch(path::endsWith)) {
        refused.incrementAndGet();
        reply(
            exchange,
            404,
            ("{\"error_code\": \"ENDPOINT_NOT_FOUND\", \"message\": \"No API found for '"
                    + exchange.getRequestMethod()
                    + " "
                    + path
                    + "': this registry has no stages, use aliases\"}")
                .getBytes(StandardCharsets.UTF_8),
            "application/json");
        return;
      }
      var target =
          upstream.resolve(
              exchange.getRequestURI().getRawPath()
                  + (exchange.getRequestURI().getRawQuery() == null
                      ? ""
                      : "?" + exchange.getRequestURI().getRawQuery()));
      var body = exchange.getRequestBody().readAllBytes();
      var request =
          HttpRequest.newBuilder(target)
              .timeout(Duration.ofSeconds(60))
              .method(
                  exchange.getRequestMethod(),
                  body.length == 0
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
      exchange
          .getRequestHeaders()
          .forEach(
              (name, values) -> {
                if (forwardable(name)) {
                  values.forEach(v -> request.header(name, v));
                }
              });
      HttpResponse<byte[]> response;
      try {
        response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        reply(exchange, 502, new byte[0], "text/plain");
        return;
      } catch (IOException e) {
        reply(
            exchange,
            502,
            ("upstream MLflow: " + e).getBytes(StandardCharsets.UTF_8),
            "text/plain");
        return;
      }
      var type = response.headers().firstValue("Content-Type").orElse("application/octet-stream");
      var answer = response.body();
      if (refuseStages && type.startsWith("application/json") && answer.length > 0) {
        answer = withoutStages(answer);
      }
      reply(exchange, response.statusCode(), answer, type);
    }
  }

  private static boolean forwardable(String header) {
    var h = header.toLowerCase(java.util.Locale.ROOT);
    return !(h.equals("host")
        || h.equals("content-length")
        || h.equals("connection")
        || h.equals("expect")
        || h.equals("upgrade")
        || h.equals("transfer-encoding"));
  }

  static byte[] withoutStages(byte[] json) {
    try {
      var node = JSON.readTree(json);
      strip(node);
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      return json; // not JSON after all: pass it on unchanged
    }
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.remove("current_stage");
    }
    node.forEach(MlflowProxy::strip);
  }

  private static void reply(HttpExchange exchange, int status, byte[] body, String type)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    goDown();
    executor.shutdownNow();
  }
}
