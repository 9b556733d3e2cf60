package dev.almanac.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenAPI document, Swagger UI and dashboard pages, with their bundled (offline) assets. */
class DocsAndDashboardTest {
  @TempDir static Path tmp;
  static ServerHarness h;

  @BeforeAll
  static void start() throws Exception {
    // the admin port on: the OpenAPI document covers its routes too
    h =
        ServerHarness.ready(
            ServerHarness.config(
                    List.of(TestBundles.classifier(tmp.resolve("d"), "disease", "1").toString()))
                .withAdmin(ServerHarness.admin()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void openApiDocumentsEveryRoute() throws Exception {
    var r = h.get("/openapi.json");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject doc = r.bodyAsJsonObject();
    assertThat(doc.getString("openapi")).startsWith("3.");
    JsonObject paths = doc.getJsonObject("paths");
    List<String> documented = new ArrayList<>();
    for (String p : paths.fieldNames()) {
      for (String method : paths.getJsonObject(p).fieldNames()) {
        documented.add(method.toUpperCase() + " " + p);
      }
    }
    assertThat(h.server.routes()).isNotEmpty();
    assertThat(documented).containsExactlyInAnyOrderElementsOf(h.server.routes());
    // every $ref resolves
    Matcher m = Pattern.compile("\"#/components/schemas/(\\w+)\"").matcher(r.bodyAsString());
    while (m.find()) {
      assertThat(doc.getJsonObject("components").getJsonObject("schemas").containsKey(m.group(1)))
          .as(m.group(1))
          .isTrue();
    }
  }

  @Test
  void swaggerUiIsServedFromTheJar() throws Exception {
    var page = h.get("/docs");
    assertThat(page.statusCode()).isEqualTo(200);
    String html = page.bodyAsString();
    assertThat(html).contains("/openapi.json").doesNotContain("${").doesNotContain("https://");
    Matcher m = Pattern.compile("src=\"(/webjars/swagger-ui/[^\"]+\\.js)\"").matcher(html);
    assertThat(m.find()).isTrue();
    var js = h.get(m.group(1));
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.body().length()).isGreaterThan(500_000);
  }

  @Test
  void dashboardAndItsChartLibraryAreServedFromTheJar() throws Exception {
    var page = h.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("content-type")).startsWith("text/html");
    String html = page.bodyAsString();
    assertThat(html).doesNotContain("${").doesNotContain("https://").doesNotContain("http://");
    Matcher m =
        Pattern.compile("src=\"(/webjars/echarts/[^\"]+/echarts\\.min\\.js)\"").matcher(html);
    assertThat(m.find()).isTrue();
    var echarts = h.get(m.group(1));
    assertThat(echarts.statusCode()).isEqualTo(200);
    assertThat(echarts.body().length()).isGreaterThan(500_000);
    assertThat(h.get("/assets/dashboard.js").bodyAsString())
        .contains("/v1/models")
        .contains("/v1/forecast")
        .contains("/v1/predict");
    assertThat(h.get("/assets/dashboard.css").statusCode()).isEqualTo(200);
    assertThat(h.get("/assets/nope.js").statusCode()).isEqualTo(404);
  }
}
