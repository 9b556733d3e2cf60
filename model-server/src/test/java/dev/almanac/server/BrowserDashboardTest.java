package dev.almanac.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.ml.bundle.DatedValues;
import dev.almanac.ml.bundle.RealizedForecasts;
import dev.almanac.testbed.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard and Swagger UI in headless Debian chromium: the DOM after the scripts ran must show
 * the chart / the result; screenshots go to {@code target/screenshots/} (copies live in docs/).
 */
@Tag("integration")
class BrowserDashboardTest {
  @TempDir static Path tmp;
  static ServerHarness h;
  static final Path SHOTS = Path.of("target/screenshots");

  @BeforeAll
  static void start() throws Exception {
    Path covid = TestBundles.forecaster(tmp.resolve("covid"), "covid-cases", "3");
    writeRealized(covid);
    h =
        ServerHarness.ready(
            ServerHarness.config(
                List.of(
                    covid.toString(),
                    TestBundles.classifier(tmp.resolve("disease"), "disease", "7").toString())));
    Files.createDirectories(SHOTS);
  }

  /**
   * Version 2's forecasts of DEU's last 14 days, 10 % high, as a training run that scored them
   * would store them in version 3's bundle.
   */
  static void writeRealized(Path bundle) throws IOException {
    DatedValues history;
    try (var b = dev.almanac.ml.bundle.ModelBundle.load(bundle)) {
      history = b.history("DEU");
    }
    List<RealizedForecasts.Point> points = new ArrayList<>();
    int n = history.dates().size();
    for (int i = n - 14; i < n; i++) {
      double actual = history.values()[i];
      points.add(
          new RealizedForecasts.Point(
              "2", history.dates().get(i), i - n + 15, actual * 1.1, actual));
    }
    Files.writeString(
        bundle.resolve(RealizedForecasts.FILE),
        new RealizedForecasts(java.util.Map.of("DEU", points)).toJson());
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  static String chromium(String path, String mode) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(tmp, "chromium");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Tools.chromium().toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile,
                "--window-size=1280,900",
                "--virtual-time-budget=5000"));
    cmd.add(mode);
    cmd.add("http://127.0.0.1:" + h.port + path);
    Path out = tmp.resolve("chromium-" + System.nanoTime() + ".out");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within 90 s: " + cmd);
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  static void screenshot(String path, String file) throws Exception {
    Path shot = SHOTS.resolve(file).toAbsolutePath();
    Files.deleteIfExists(shot);
    chromium(path, "--screenshot=" + shot);
    assertThat(shot).exists();
    byte[] png = Files.readAllBytes(shot);
    assertThat(png.length).isGreaterThan(20_000);
    assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
  }

  @Test
  void forecastPageDrawsHistoryHoldoutAndForecast() throws Exception {
    String dom = chromium("/?model=covid-cases&series=DEU", "--dump-dom");
    assertThat(dom)
        .contains("data-rendered=\"forecast\"")
        .contains("forecast of DEU: 28 days")
        .contains("<svg")
        .contains("holdout predicted")
        .contains("overall.Linear.mase");
    // four line series drawn as SVG paths, and version 2's forecast against the actuals that
    // arrived
    assertThat(dom.split("<path", -1).length - 1).isGreaterThan(5);
    assertThat(dom)
        .contains("data-realized=\"1\"")
        .contains("v2 forecast vs actual")
        .contains("Earlier forecasts vs actuals");
    screenshot("/?model=covid-cases&series=DEU", "dashboard-forecast.png");
  }

  @Test
  void classifierPageShowsTopKForTheChosenSymptoms() throws Exception {
    String path = "/?model=disease&symptoms=itching,skin_rash,nodal_skin_eruptions";
    String dom = chromium(path, "--dump-dom");
    assertThat(dom)
        .contains("data-rendered=\"classification\"")
        .contains("id=\"predictions\"")
        .contains("Fungal infection")
        .contains("class=\"prediction\"");
    assertThat(dom.split("class=\"prediction\"", -1).length - 1).isEqualTo(3);
    screenshot(path, "dashboard-classifier.png");
  }

  @Test
  void swaggerUiRendersTheOperations() throws Exception {
    String dom = chromium("/docs", "--dump-dom");
    assertThat(dom)
        .contains("Almanac model server")
        .contains("/v1/predict")
        .contains("/v2/models/{name}/infer");
    screenshot("/docs", "swagger.png");
  }
}
