package dev.almanac.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The logged-model probe's answers that the real servers cannot be made to give (they are proven on
 * MLflow 3 and 2.22 by {@link LoggedModelIntegrationTest}): refusals other than "no such route" are
 * errors, not a "no".
 */
class LoggedModelsCapabilityTest {
  private HttpServer server;
  private final AtomicInteger probes = new AtomicInteger();
  private final AtomicReference<Answer> answer = new AtomicReference<>();

  private record Answer(int status, String body) {}

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/api/2.0/mlflow/logged-models/search", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    probes.incrementAndGet();
    exchange.getRequestBody().readAllBytes();
    var bytes = answer.get().body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(answer.get().status(), bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private MlflowLoggedModels loggedModels() {
    var settings =
        MlflowSettings.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
            .withRetries(2, Duration.ofMillis(10))
            .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));
    return new MlflowLoggedModels(new MlflowHttp(settings));
  }

  @Test
  void aServerWithTheRouteHasLoggedModelsAndIsAskedOnce() {
    answer.set(new Answer(200, "{\"models\": []}"));
    var loggedModels = loggedModels();
    assertThat(loggedModels.supported("1")).isTrue();
    assertThat(loggedModels.supported("1")).isTrue();
    assertThat(probes).hasValue(1);
  }

  @Test
  void noSuchRouteMeansNoLoggedModels() {
    // Flask's page for an unknown route (MLflow 2.x), and Databricks' answer for a missing method
    answer.set(new Answer(404, "<!doctype html><title>404 Not Found</title>"));
    assertThat(loggedModels().supported("1")).isFalse();
    answer.set(
        new Answer(404, "{\"error_code\": \"ENDPOINT_NOT_FOUND\", \"message\": \"No API\"}"));
    assertThat(loggedModels().supported("1")).isFalse();
    answer.set(new Answer(501, "not implemented"));
    assertThat(loggedModels().supported("1")).isFalse();
  }

  @Test
  void aRefusalIsAnErrorAndIsAskedAgain() {
    answer.set(new Answer(403, "{\"error_code\": \"PERMISSION_DENIED\", \"message\": \"no\"}"));
    var loggedModels = loggedModels();
    assertThatThrownBy(() -> loggedModels.supported("1"))
        .isInstanceOf(RegistryAccessDeniedException.class);
    answer.set(new Answer(200, "{\"models\": []}"));
    assertThat(loggedModels.supported("1")).isTrue();
  }
}
