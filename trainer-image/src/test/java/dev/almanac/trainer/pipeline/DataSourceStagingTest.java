package dev.almanac.trainer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.almanac.trainer.TrainerCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.data.source.url: the trainer downloads the file, then trains on it exactly as on a local
 * path.
 */
class DataSourceStagingTest {
  @TempDir Path tmp;
  private HttpServer http;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  static final String SPEC =
      """
      apiVersion: almanac.dev/v1alpha1
      kind: ForecastPipeline
      metadata: {name: from-url}
      spec:
        task: forecast
        data:
          source: {url: "URL"}
          seriesColumn: iso_code
          series: [USA]
          target: new_cases
        models: [{type: Linear}, {type: SeasonalNaive}]
        validation: {holdoutDays: 30}
      """;

  static final byte[] TEST_SPLIT = "symptom,prognosis\n1,flu\n".getBytes(StandardCharsets.UTF_8);

  @BeforeEach
  void serve() throws Exception {
    byte[] owid = Files.readAllBytes(Paths.owidSlim());
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/",
        ex -> {
          String path = ex.getRequestURI().getPath();
          byte[] body =
              path.equals("/data/owid.csv.gz")
                  ? owid
                  : path.equals("/data/Testing.csv") ? TEST_SPLIT : null;
          ex.sendResponseHeaders(body != null ? 200 : 404, body != null ? body.length : -1);
          if (body != null) {
            ex.getResponseBody().write(body);
          }
          ex.close();
        });
    http.start();
  }

  @AfterEach
  void stop() {
    http.stop(0);
  }

  private String base() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  private int train(String url, Path out) throws Exception {
    Path spec = tmp.resolve("p.yaml");
    Files.writeString(spec, SPEC.replace("URL", url));
    return TrainerCli.run(
        new String[] {"--spec", spec.toString(), "--output", out.toString()},
        new PrintStream(log, true, StandardCharsets.UTF_8),
        tmp.resolve("no-termination-log"));
  }

  private static JsonNode result(Path out) throws Exception {
    return new ObjectMapper().readTree(out.resolve("result.json").toFile());
  }

  @Test
  void aUrlSourceIsDownloadedAndTrainsLikeTheSameLocalFile() throws Exception {
    Path viaUrl = tmp.resolve("url");
    assertThat(train(base() + "/data/owid.csv.gz", viaUrl))
        .as(log.toString(StandardCharsets.UTF_8))
        .isZero();
    Path local = tmp.resolve("local");
    Path spec = tmp.resolve("local.yaml");
    Files.writeString(spec, SPEC.replace("{url: \"URL\"}", "{path: unused}"));
    assertThat(
            TrainerCli.run(
                new String[] {
                  "--spec",
                  spec.toString(),
                  "--output",
                  local.toString(),
                  "--data",
                  Paths.owidSlim().toString()
                },
                new PrintStream(log, true, StandardCharsets.UTF_8),
                tmp.resolve("no-termination-log")))
        .isZero();

    assertThat(log.toString(StandardCharsets.UTF_8)).contains("[data] done");
    assertThat(result(viaUrl).path("dataSha256").asText())
        .isNotBlank()
        .isEqualTo(result(local).path("dataSha256").asText());
    assertThat(result(viaUrl).path("value").asDouble())
        .isEqualTo(result(local).path("value").asDouble());
    assertThat(
            Files.mismatch(
                viaUrl.resolveSibling("url.data").resolve("owid.csv.gz"), Paths.owidSlim()))
        .isEqualTo(-1L);
  }

  @Test
  void aRelativeTestSplitIsCopiedFromBesideTheRemoteTrainingData() throws Exception {
    Path spec = tmp.resolve("c.yaml");
    Files.writeString(
        spec,
        SPEC.replace("URL", base() + "/data/owid.csv.gz")
            .replace(
                "target: new_cases",
                "target: new_cases\n    testPath: disease-symptoms/Testing.csv"));
    var fp = SpecLoader.load(spec);
    Path staged = DataSourceStaging.stage(fp, java.util.Map.of(), tmp.resolve("staged"));

    assertThat(staged.getFileName().toString()).isEqualTo("owid.csv.gz");
    assertThat(Files.readAllBytes(staged.resolveSibling("Testing.csv"))).isEqualTo(TEST_SPLIT);
    assertThat(DataSourceStaging.relativeTestPath(SpecLoader.load(spec))).isEqualTo("Testing.csv");
  }

  @Test
  void aMissingUrlIsADataErrorThatNeverPrintsTheQuery() throws Exception {
    Path out = tmp.resolve("out");
    assertThat(train(base() + "/data/gone.csv?X-Amz-Signature=secret", out))
        .isEqualTo(ExitCode.DATA_ERROR.code());
    String message = result(out).path("message").asText();
    assertThat(message)
        .contains("spec.data.source.url", base() + "/data/gone.csv", "HTTP 404")
        .doesNotContain("secret");
    assertThat(out.resolveSibling("out.data").resolve("gone.csv")).doesNotExist();
  }

  /** Fast backoff for tests: same policy, milliseconds instead of seconds. */
  static final DownloadRetry QUICK =
      new DownloadRetry(3, Duration.ofMillis(40), Duration.ofMillis(400));

  @Test
  void anUnreachableUrlIsADataErrorNamingItAfterEveryAttempt() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/owid.csv";
    var notices = new ArrayList<String>();
    assertThatThrownBy(
            () -> DataSourceStaging.fromUrl(java.net.URI.create(url), tmp, QUICK, notices::add))
        .isInstanceOfSatisfying(
            RunFailure.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.DATA_ERROR))
        .hasMessageContaining(url)
        .hasMessageEndingWith("after 3 attempts");
    assertThat(notices)
        .hasSize(2)
        .allMatch(n -> n.startsWith("attempt "))
        .first()
        .asString()
        .startsWith("attempt 1 of 3 failed");
  }

  /**
   * A server that answers {@code failures} requests with {@code status}, then serves the OWID file;
   * arrival times kept.
   */
  private record Flaky(HttpServer server, List<Long> arrivals) implements AutoCloseable {
    static Flaky start(int failures, int status) throws Exception {
      byte[] owid = Files.readAllBytes(Paths.owidSlim());
      var arrivals = Collections.synchronizedList(new ArrayList<Long>());
      var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/",
          ex -> {
            arrivals.add(System.nanoTime());
            boolean fail = arrivals.size() <= failures;
            ex.sendResponseHeaders(fail ? status : 200, fail ? -1 : owid.length);
            if (!fail) {
              ex.getResponseBody().write(owid);
            }
            ex.close();
          });
      server.start();
      return new Flaky(server, arrivals);
    }

    String url(String path) {
      return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  @Test
  void transientHttpFailuresAreTriedAgainWithGrowingPauses() throws Exception {
    try (var flaky = Flaky.start(2, 503)) {
      var notices = new ArrayList<String>();
      Path staged =
          DataSourceStaging.fromUrl(
              java.net.URI.create(flaky.url("/data/owid.csv.gz")), tmp, QUICK, notices::add);
      assertThat(Files.mismatch(staged, Paths.owidSlim())).isEqualTo(-1L);
      assertThat(flaky.arrivals()).hasSize(3);
      assertThat(notices)
          .containsExactly("attempt 1 of 3 failed: HTTP 503", "attempt 2 of 3 failed: HTTP 503");
      long first = flaky.arrivals().get(1) - flaky.arrivals().get(0);
      long second = flaky.arrivals().get(2) - flaky.arrivals().get(1);
      assertThat(first).as("first pause").isGreaterThanOrEqualTo(Duration.ofMillis(40).toNanos());
      assertThat(second)
          .as("second pause, doubled")
          .isGreaterThanOrEqualTo(Duration.ofMillis(80).toNanos());
    }
  }

  @Test
  void tooManyRequestsIsTransientToo() throws Exception {
    try (var flaky = Flaky.start(1, 429)) {
      assertThat(
              DataSourceStaging.fromUrl(
                  java.net.URI.create(flaky.url("/owid.csv.gz")), tmp, QUICK, n -> {}))
          .exists();
      assertThat(flaky.arrivals()).hasSize(2);
    }
  }

  @Test
  void aServerThatStaysDownFailsAfterTheBoundedAttempts() throws Exception {
    try (var flaky = Flaky.start(100, 503)) {
      assertThatThrownBy(
              () ->
                  DataSourceStaging.fromUrl(
                      java.net.URI.create(flaky.url("/owid.csv.gz?sig=secret")),
                      tmp,
                      QUICK,
                      n -> {}))
          .isInstanceOfSatisfying(
              RunFailure.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.DATA_ERROR))
          .hasMessage(
              "cannot download spec.data.source.url "
                  + flaky.url("/owid.csv.gz")
                  + ": HTTP 503 after 3 attempts");
      assertThat(flaky.arrivals()).hasSize(3);
      assertThat(tmp.resolve("owid.csv.gz")).doesNotExist();
    }
  }

  @Test
  void notFoundAndForbiddenAreNotTriedAgain() throws Exception {
    for (int status : new int[] {404, 403}) {
      try (var flaky = Flaky.start(100, status)) {
        assertThatThrownBy(
                () ->
                    DataSourceStaging.fromUrl(
                        java.net.URI.create(flaky.url("/owid.csv.gz")), tmp, QUICK, n -> {}))
            .isInstanceOf(RunFailure.class)
            .hasMessageEndingWith("HTTP " + status);
        assertThat(flaky.arrivals()).as("HTTP " + status).hasSize(1);
      }
    }
  }

  /**
   * The same policy for an S3 source: a store answering 503 twice (as S3 under load does), then the
   * object.
   */
  @Test
  void transientS3FailuresAreTriedAgainWithoutTheSdkMultiplyingThem() throws Exception {
    try (var flaky = Flaky.start(2, 503)) {
      Path spec = tmp.resolve("s3.yaml");
      Files.writeString(
          spec,
          """
          apiVersion: almanac.dev/v1alpha1
          kind: ForecastPipeline
          metadata: {name: from-s3}
          spec:
            task: forecast
            data:
              source: {s3: {bucket: datasets, key: covid/owid.csv.gz}}
              target: new_cases
            artifacts:
              s3: {bucket: datasets, endpoint: "%s", region: us-east-1, pathStyle: true}
          """
              .formatted(flaky.url("")));
      var notices = new ArrayList<String>();
      Path staged =
          DataSourceStaging.stage(
              SpecLoader.load(spec),
              Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test"),
              tmp.resolve("data"),
              QUICK,
              notices::add);
      assertThat(Files.mismatch(staged, Paths.owidSlim())).isEqualTo(-1L);
      assertThat(flaky.arrivals()).as("one request per attempt").hasSize(3);
      assertThat(notices).hasSize(2).allMatch(n -> n.contains("HTTP 503"));
    }
  }

  @Test
  void aSnapshotKeepsTheSourceFormatInItsName() {
    assertThat(DataSnapshot.extension("owid.csv.gz")).isEqualTo(".csv.gz");
    assertThat(DataSnapshot.extension("owid.CSV")).isEqualTo(".csv");
    assertThat(DataSnapshot.extension("download")).isEqualTo(".csv");
    assertThat(DataSnapshot.extension("data.gz")).isEqualTo(".csv.gz");
  }
}
