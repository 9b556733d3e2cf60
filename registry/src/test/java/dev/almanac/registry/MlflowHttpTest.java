package dev.almanac.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Transport behaviour the real MLflow server cannot be made to show on demand (5xx, 429, hangs,
 * auth refusals): an in-process HTTP server plays those answers.
 */
class MlflowHttpTest {
  private HttpServer server;
  private final List<String> authHeaders = new CopyOnWriteArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/api/2.0/mlflow/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    authHeaders.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
    int call = calls.incrementAndGet();
    var path = exchange.getRequestURI().getPath();
    exchange.getRequestBody().readAllBytes();
    switch (path.substring("/api/2.0/mlflow/".length())) {
      case "flaky" -> {
        if (call < 3) {
          respond(exchange, 503, "<html>upstream down</html>");
        } else {
          respond(exchange, 200, "{\"ok\": true}");
        }
      }
      case "always-503" ->
          respond(
              exchange,
              503,
              "{\"error_code\": \"TEMPORARILY_UNAVAILABLE\", \"message\": \"db locked\"}");
      case "missing" ->
          respond(
              exchange,
              404,
              "{\"error_code\": \"RESOURCE_DOES_NOT_EXIST\", \"message\": \"Run 'x' not found\"}");
      case "invalid" ->
          respond(
              exchange,
              400,
              "{\"error_code\": \"INVALID_PARAMETER_VALUE\", \"message\": \"bad key\"}");
      case "denied" ->
          respond(
              exchange,
              401,
              "{\"error_code\": \"UNAUTHENTICATED\", \"message\": \"You are not authenticated\"}");
      case "hang" -> {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        respond(exchange, 200, "{}");
      }
      default -> respond(exchange, 200, "{\"path\": \"" + path + "\"}");
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    var bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private MlflowHttp client(MlflowCredentials credentials) {
    return client(credentials, Duration.ofSeconds(10));
  }

  private MlflowHttp client(MlflowCredentials credentials, Duration requestTimeout) {
    var settings =
        MlflowSettings.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
            .withRetries(3, Duration.ofMillis(10))
            .withTimeouts(Duration.ofSeconds(5), requestTimeout);
    return new MlflowHttp(credentials == null ? settings : settings.withCredentials(credentials));
  }

  @Test
  void sendsBasicAndBearerCredentials() {
    client(new MlflowCredentials.Basic("alice", "pw")).get("ping", Map.of());
    client(new MlflowCredentials.Bearer("tok")).get("ping", Map.of());
    client(null).get("ping", Map.of());
    assertThat(authHeaders).containsExactly("Basic YWxpY2U6cHc=", "Bearer tok", "null");
  }

  @Test
  void retriesIdempotentCallsThroughTransientFailures() {
    var answer = client(null).get("flaky", Map.of());
    assertThat(answer.path("ok").asBoolean()).isTrue();
    assertThat(calls).hasValue(3);
  }

  @Test
  void neverRetriesNonIdempotentCalls() {
    assertThatThrownBy(() -> client(null).post("flaky", Map.of(), MlflowHttp.Retry.NEVER))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("HTTP 503")
        .hasMessageContaining("upstream down");
    assertThat(calls).hasValue(1);
  }

  @Test
  void persistentServerErrorIsUnavailableWithTheServersMessage() {
    assertThatThrownBy(() -> client(null).post("always-503", Map.of(), MlflowHttp.Retry.IDEMPOTENT))
        .isInstanceOfSatisfying(
            RegistryUnavailableException.class, e -> assertThat(e.status()).isEqualTo(503))
        .hasMessageContaining("TEMPORARILY_UNAVAILABLE")
        .hasMessageContaining("db locked");
    assertThat(calls).hasValue(3);
  }

  @Test
  void clientErrorsAreTypedAndNotRetried() {
    var http = client(null);
    assertThatThrownBy(() -> http.get("missing", Map.of()))
        .isInstanceOfSatisfying(
            ResourceNotFoundException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
              assertThat(e.serverMessage()).isEqualTo("Run 'x' not found");
            });
    assertThatThrownBy(() -> http.post("invalid", Map.of(), MlflowHttp.Retry.IDEMPOTENT))
        .isExactlyInstanceOf(RegistryRequestException.class)
        .hasMessageContaining("INVALID_PARAMETER_VALUE: bad key");
    assertThatThrownBy(() -> http.get("denied", Map.of()))
        .isInstanceOf(RegistryAccessDeniedException.class)
        .hasMessageContaining("You are not authenticated");
    assertThat(calls).hasValue(3);
  }

  @Test
  void credentialsNeverAppearInErrors() {
    assertThatThrownBy(
            () -> client(new MlflowCredentials.Basic("alice", "topsecret")).get("denied", Map.of()))
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .doesNotContain("topsecret")
                    .doesNotContain("YWxpY2U6dG9wc2VjcmV0"));
  }

  @Test
  void hungServerTimesOut() {
    assertThatThrownBy(
            () ->
                client(null, Duration.ofMillis(300)).post("hang", Map.of(), MlflowHttp.Retry.NEVER))
        .isInstanceOfSatisfying(
            RegistryUnavailableException.class, e -> assertThat(e.status()).isZero())
        .hasMessageContaining("timed out");
  }

  @Test
  void closedPortIsUnavailable() throws IOException {
    int port;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    var http =
        new MlflowHttp(
            MlflowSettings.of(URI.create("http://127.0.0.1:" + port))
                .withRetries(2, Duration.ofMillis(10)));
    assertThatThrownBy(() -> http.get("experiments/get-by-name", Map.of("experiment_name", "x")))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("127.0.0.1:" + port)
        .hasMessageContaining("unreachable");
  }
}
