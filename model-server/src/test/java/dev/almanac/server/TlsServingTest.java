package dev.almanac.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.almanac.testbed.Timeouts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
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
    selfSigned("almanac-test", cert, key);
    Path v1 = TestBundles.classifier(tmp.resolve("v1"), "disease", "1");
    ServerConfig c =
        ServerHarness.config(List.of(v1.toString()))
            .withAdmin(ServerHarness.admin())
            .withTls(new ServerConfig.Tls(cert, key));
    h = ServerHarness.ready(c, ServerHarness.bundles(c, Map.of()));
    clients = Vertx.vertx();
  }

  /** A self-signed EC certificate for 127.0.0.1 and localhost, made by openssl. */
  static void selfSigned(String cn, Path cert, Path key) throws Exception {
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
                "/CN=" + cn,
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
  }

  /** The subject of the certificate the server presents now (the handshake trusts anything). */
  static String presentedSubject(int port) throws Exception {
    SSLContext trustAll = SSLContext.getInstance("TLS");
    trustAll.init(
        null,
        new TrustManager[] {
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          }
        },
        null);
    try (SSLSocket socket =
        (SSLSocket) trustAll.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0])
          .getSubjectX500Principal()
          .getName();
    }
  }

  /**
   * A renewed certificate (cert-manager, then the kubelet swaps the Secret's files) is served to
   * new connections without a restart.
   */
  @Test
  void aRotatedCertificateIsServedWithoutARestart() throws Exception {
    assertThat(presentedSubject(h.port)).isEqualTo("CN=almanac-test");
    Path next = Files.createDirectories(tmp.resolve("next"));
    selfSigned("almanac-renewed", next.resolve("tls.crt"), next.resolve("tls.key"));
    Files.move(next.resolve("tls.key"), tmp.resolve("tls.key"), StandardCopyOption.ATOMIC_MOVE);
    Files.move(next.resolve("tls.crt"), cert, StandardCopyOption.ATOMIC_MOVE);
    // a handshake in the few ms of the swap may be dropped (Vert.x rebuilds the context
    // asynchronously): clients retry; afterwards every one completes
    await()
        .atMost(Timeouts.seconds(60))
        .ignoreExceptionsInstanceOf(java.io.IOException.class)
        .untilAsserted(
            () -> {
              assertThat(presentedSubject(h.port)).isEqualTo("CN=almanac-renewed");
              assertThat(presentedSubject(h.server.adminPort())).isEqualTo("CN=almanac-renewed");
            });
    // and it stays: every handshake completes with the renewed pair
    for (int i = 0; i < 5; i++) {
      assertThat(presentedSubject(h.port)).isEqualTo("CN=almanac-renewed");
    }
    // a client trusting the new certificate is served
    assertThat(
            send(https(true), HttpMethod.GET, h.port, "/v2/health/ready", null, null).statusCode())
        .isEqualTo(200);
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
