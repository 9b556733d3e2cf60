package dev.almanac.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.ml.bundle.InputProfile;
import dev.almanac.ml.data.SymptomTable;
import dev.almanac.ml.data.SymptomTableLoader;
import dev.almanac.server.bundle.BundleModelLoader;
import dev.almanac.server.bundle.ModelSourceResolver;
import dev.almanac.server.model.BatchSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A classifier whose bundle carries its training symptom frequencies: requests like the training
 * rows keep the drift gauges low, skewed requests move them above the alert threshold.
 */
class InputDriftTest {
  private static final int WINDOW = 200;
  @TempDir static Path tmp;
  static ServerHarness h;
  static SymptomTable training;

  @BeforeAll
  static void start() throws Exception {
    training =
        new SymptomTableLoader("prognosis")
            .load(TestBundles.dataDir().resolve("disease-symptoms/Training.csv"));
    Path bundle = TestBundles.classifier(tmp.resolve("disease"), "disease", "7");
    Files.writeString(
        bundle.resolve(InputProfile.FILE),
        InputProfile.of(training.columns(), training.x()).toJson());
    ServerConfig c = ServerHarness.config(List.of(bundle.toString()));
    h =
        ServerHarness.ready(
            c,
            m ->
                new BundleModelLoader(
                    ModelSourceResolver.localOnly(),
                    BatchSettings.ofMillis(c.maxBatchSize(), c.maxDelayMillis()),
                    m,
                    WINDOW));
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void skewedTrafficMovesTheGaugeAboveTheThreshold() throws Exception {
    assertThat(metric("almanac_server_input_drift_psi_max")).as("no window yet").isNaN();

    Random random = new Random(22);
    for (int i = 0; i < WINDOW; i++) {
      predict(symptomsOf(training.x()[random.nextInt(training.rows())]));
    }
    double calm = metric("almanac_server_input_drift_psi_max");
    assertThat(calm).as("traffic like the training rows").isLessThan(0.25);
    double calmMean = metric("almanac_server_input_drift_psi_mean");

    for (int i = 0; i < WINDOW; i++) {
      predict(List.of("itching", "skin_rash", i % 2 == 0 ? "chills" : "vomiting"));
    }
    double skewed = metric("almanac_server_input_drift_psi_max");
    System.out.printf("input drift: calm window max PSI %.3f, skewed %.3f%n", calm, skewed);
    assertThat(skewed).as("every request names itching and skin_rash").isGreaterThan(0.25);
    assertThat(metric("almanac_server_input_drift_psi_mean")).isGreaterThan(calmMean);
    assertThat(featurePsi("itching")).isGreaterThan(0.25);
    assertThat(scrape())
        .contains("almanac_server_input_drift_windows_total{model=\"disease\",version=\"7\"} 2.0");
  }

  private static List<String> symptomsOf(double[] row) {
    List<String> out = new ArrayList<>();
    for (int c = 0; c < row.length; c++) {
      if (row[c] != 0) {
        out.add(training.columns().get(c).strip());
      }
    }
    return out;
  }

  private static void predict(List<String> symptoms) throws Exception {
    var r =
        h.post(
            "/v1/predict",
            new JsonObject().put("symptoms", new JsonArray(new ArrayList<>(symptoms))));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
  }

  private static String scrape() throws Exception {
    return h.get("/metrics").bodyAsString();
  }

  private static double metric(String name) throws Exception {
    Matcher m =
        Pattern.compile("(?m)^" + name + "\\{model=\"disease\",version=\"7\"\\} (\\S+)$")
            .matcher(scrape());
    assertThat(m.find()).as(name + " exported").isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static double featurePsi(String feature) throws Exception {
    Matcher m =
        Pattern.compile(
                "(?m)^almanac_server_input_drift_psi\\{feature=\""
                    + feature
                    + "\",model=\"disease\",version=\"7\"\\} (\\S+)$")
            .matcher(scrape());
    assertThat(m.find()).as("psi of " + feature).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
