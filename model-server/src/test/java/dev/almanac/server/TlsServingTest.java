package dev.almanac.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inference and admin ports over HTTPS with a self-signed certificate made by openssl at test
 * time (loopback only): a client trusting it gets answers, a client that does not, or one speaking
 * plain HTTP, gets none.
 */
@Tag("integration")
class TlsServingTest {
  @TempDir static Path tmp;
  static ServerHarness h;
  static Path cert;
  static Vertx clients;

  @BeforeAll
  static void start() throws Exception {
    cert = tmp.resolve("tls.crt");
    Path key = tmp.resolve("tls.key");
    Process p =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=almanac-test",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    Path v1 = TestBundles.classifier(tmp.resolve("v1"), "disease", "1");
    ServerConfig c =
        ServerHarness.config(List.of(v1.toString()))
            .withAdmin(ServerHarness.admin())
            .withTls(new ServerConfig.Tls(cert, key));
    h = ServerHarness.ready(c, ServerHarness.bundles(c, Map.of()));
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (clients != null) {
      clients.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    if (h != null) {
      h.close();
    }
  }

  static WebClient https(boolean trust) {
    WebClientOptions o =
        new WebClientOptions()
            .setDefaultHost("127.0.0.1")
            .setSsl(true)
            .setVerifyHost(true)
            .setConnectTimeout(10_000);
    if (trust) {
      o.setTrustOptions(new PemTrustOptions().addCertPath(cert.toString()));
    }
    return WebClient.create(clients, o);
  }

  static HttpResponse<Buffer> send(
      WebClient client, HttpMethod method, int port, String path, String token, Buffer body)
      throws Exception {
    var request = client.request(method, port, "127.0.0.1", path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return (body == null ? request.send() : request.sendBuffer(body))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  @Test
  void aClientTrustingTheCertificateIsServedOverHttps() throws Exception {
    WebClient client = https(true);
    assertThat(send(client, HttpMethod.GET, h.port, "/v2/health/ready", null, null).statusCode())
        .isEqualTo(200);
    var infer =
        send(
            client,
            HttpMethod.POST,
            h.port,
            "/v2/models/disease/infer",
            null,
            Buffer.buffer(BadInputTest.features("FP32", "[1,132]", BadInputTest.zeros(132))));
    assertThat(infer.statusCode()).as(infer.bodyAsString()).isEqualTo(200);
    JsonArray outputs = infer.bodyAsJsonObject().getJsonArray("outputs");
    assertThat(outputs).isNotEmpty();
    // the admin port is HTTPS too: the bearer token never crosses the network in clear
    var index =
        send(
            client,
            HttpMethod.GET,
            h.server.adminPort(),
            "/v2/repository/index",
            ServerHarness.ADMIN_TOKEN,
            null);
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.bodyAsJsonObject().getJsonArray("models").getJsonObject(0).getString("name"))
        .isEqualTo("disease");
    var refused =
        send(
            client,
            HttpMethod.POST,
            h.server.adminPort(),
            "/v2/repository/models/disease/load",
            "wrong",
            new JsonObject().toBuffer());
    assertThat(refused.statusCode()).isEqualTo(401);
  }

  @Test
  void plainHttpAndUntrustingClientsGetNoAnswer() {
    // h.client speaks plain HTTP to the HTTPS port
    assertThatThrownBy(
            () ->
                h.client
                    .get("/v2/health/ready")
                    .timeout(10_000)
                    .send()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
    // a client that does not trust the self-signed certificate refuses the handshake
    assertThatThrownBy(
            () -> send(https(false), HttpMethod.GET, h.port, "/v2/health/ready", null, null))
        .isInstanceOf(ExecutionException.class)
        .hasStackTraceContaining("certificat");
  }

  @Test
  void aMissingKeyFileIsRefusedAtStartNamingIt() {
    assertThatThrownBy(() -> new ServerConfig.Tls(cert, tmp.resolve("absent.key")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absent.key");
    assertThatThrownBy(
            () ->
                ServerConfig.parse(
                    new String[] {"--tls-cert-file", cert.toString()}, Map.<String, String>of()))
        .hasMessageContaining("--tls-key-file");
    ServerConfig fromEnv =
        ServerConfig.parse(
            new String[0],
            Map.of(
                "ALMANAC_TLS_CERT_FILE",
                cert.toString(),
                "ALMANAC_TLS_KEY_FILE",
                tmp.resolve("tls.key").toString()));
    assertThat(fromEnv.tls().enabled()).isTrue();
    assertThat(ServerConfig.parse(new String[0], Map.of()).tls().enabled()).isFalse();
  }
}
