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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** spec.data.source.url: the trainer downloads the file, then trains on it exactly as on a local path. */
class DataSourceStagingTest {
  @TempDir Path tmp;
  private HttpServer http;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  static final String SPEC = """
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
    http.createContext("/", ex -> {
      String path = ex.getRequestURI().getPath();
      byte[] body = path.equals("/data/owid.csv.gz") ? owid : path.equals("/data/Testing.csv") ? TEST_SPLIT : null;
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
    return TrainerCli.run(new String[] {"--spec", spec.toString(), "--output", out.toString()},
        new PrintStream(log, true, StandardCharsets.UTF_8), tmp.resolve("no-termination-log"));
  }

  private static JsonNode result(Path out) throws Exception {
    return new ObjectMapper().readTree(out.resolve("result.json").toFile());
  }

  @Test
  void aUrlSourceIsDownloadedAndTrainsLikeTheSameLocalFile() throws Exception {
    Path viaUrl = tmp.resolve("url");
    assertThat(train(base() + "/data/owid.csv.gz", viaUrl)).as(log.toString(StandardCharsets.UTF_8)).isZero();
    Path local = tmp.resolve("local");
    Path spec = tmp.resolve("local.yaml");
    Files.writeString(spec, SPEC.replace("{url: \"URL\"}", "{path: unused}"));
    assertThat(TrainerCli.run(new String[] {"--spec", spec.toString(), "--output", local.toString(), "--data", Paths.owidSlim().toString()},
        new PrintStream(log, true, StandardCharsets.UTF_8), tmp.resolve("no-termination-log"))).isZero();

    assertThat(log.toString(StandardCharsets.UTF_8)).contains("[data] done");
    assertThat(result(viaUrl).path("dataSha256").asText()).isNotBlank().isEqualTo(result(local).path("dataSha256").asText());
    assertThat(result(viaUrl).path("value").asDouble()).isEqualTo(result(local).path("value").asDouble());
    assertThat(Files.mismatch(viaUrl.resolveSibling("url.data").resolve("owid.csv.gz"), Paths.owidSlim())).isEqualTo(-1L);
  }

  @Test
  void aRelativeTestSplitIsCopiedFromBesideTheRemoteTrainingData() throws Exception {
    Path spec = tmp.resolve("c.yaml");
    Files.writeString(spec, SPEC.replace("URL", base() + "/data/owid.csv.gz")
        .replace("target: new_cases", "target: new_cases\n    testPath: disease-symptoms/Testing.csv"));
    var fp = SpecLoader.load(spec);
    Path staged = DataSourceStaging.stage(fp, java.util.Map.of(), tmp.resolve("staged"));

    assertThat(staged.getFileName().toString()).isEqualTo("owid.csv.gz");
    assertThat(Files.readAllBytes(staged.resolveSibling("Testing.csv"))).isEqualTo(TEST_SPLIT);
    assertThat(DataSourceStaging.relativeTestPath(SpecLoader.load(spec))).isEqualTo("Testing.csv");
  }

  @Test
  void aMissingUrlIsADataErrorThatNeverPrintsTheQuery() throws Exception {
    Path out = tmp.resolve("out");
    assertThat(train(base() + "/data/gone.csv?X-Amz-Signature=secret", out)).isEqualTo(ExitCode.DATA_ERROR.code());
    String message = result(out).path("message").asText();
    assertThat(message).contains("spec.data.source.url", base() + "/data/gone.csv", "HTTP 404").doesNotContain("secret");
    assertThat(out.resolveSibling("out.data").resolve("gone.csv")).doesNotExist();
  }

  @Test
  void anUnreachableUrlIsADataErrorNamingIt() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/owid.csv";
    assertThatThrownBy(() -> DataSourceStaging.fromUrl(java.net.URI.create(url), tmp))
        .isInstanceOfSatisfying(RunFailure.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.DATA_ERROR))
        .hasMessageContaining(url);
  }
}
