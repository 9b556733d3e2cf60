package dev.almanac.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy against a stand-in upstream: what passes, what is refused, what is stripped, down and
 * back.
 */
class MlflowProxyTest {
  private static final String VERSION =
      "{\"model_version\": {\"name\": \"m\", \"version\": \"1\", \"current_stage\": \"Staging\","
          + " \"aliases\": [\"challenger\"]}}";
  private final HttpClient http = HttpClient.newHttpClient();
  private HttpServer upstream;

  @BeforeEach
  void upstream() throws IOException {
    upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext(
        "/",
        exchange -> {
          var body = VERSION.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    upstream.start();
  }

  @AfterEach
  void stop() {
    upstream.stop(0);
  }

  private URI upstreamUri() {
    return URI.create("http://127.0.0.1:" + upstream.getAddress().getPort());
  }

  private HttpResponse<String> get(URI base, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void refusesStageCallsAndStripsStagesButPassesAliases() throws Exception {
    try (var proxy = MlflowProxy.refusingStages(upstreamUri())) {
      var refused =
          http.send(
              HttpRequest.newBuilder(
                      proxy
                          .trackingUri()
                          .resolve("/api/2.0/mlflow/model-versions/transition-stage"))
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(404);
      assertThat(refused.body()).contains("ENDPOINT_NOT_FOUND");
      assertThat(proxy.refusedStageCalls()).isEqualTo(1);

      var version = get(proxy.trackingUri(), "/api/2.0/mlflow/model-versions/get?name=m&version=1");
      assertThat(version.statusCode()).isEqualTo(200);
      assertThat(version.body()).doesNotContain("current_stage").contains("challenger");
    }
  }

  @Test
  void passingThroughChangesNothingUntilItGoesDownAndComesBack() throws Exception {
    try (var proxy = MlflowProxy.passingThrough(upstreamUri())) {
      assertThat(get(proxy.trackingUri(), "/api/2.0/mlflow/model-versions/get").body())
          .contains("\"current_stage\"");
      proxy.goDown();
      assertThatThrownBy(() -> get(proxy.trackingUri(), "/health"))
          .isInstanceOf(java.net.ConnectException.class);
      proxy.comeBack();
      assertThat(get(proxy.trackingUri(), "/health").statusCode()).isEqualTo(200);
    }
  }
}
