package dev.almanac.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.almanac.ml.bundle.Forecast;
import dev.almanac.ml.bundle.ModelBundle;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent /v1/forecast requests share model calls (one batch per horizon), and each still gets
 * the forecast of its own series and history; a bad request among them fails alone.
 */
class ForecastBatchingTest {
  @TempDir Path tmp;

  record Sent(String series, int horizon, double[] history, Future<HttpResponse<Buffer>> reply) {}

  @Test
  void concurrentForecastsShareBatchesAndEachGetsItsOwnAnswer() throws Exception {
    Path dir = TestBundles.forecaster(tmp.resolve("covid"), "covid-cases", "3");
    // one event loop and a delay long enough that requests sent together meet in one batch
    try (ServerHarness h =
        ServerHarness.ready(
            ServerHarness.config(List.of(dir.toString()))
                .withEventLoops(1)
                .withBatching(64, 300))) {
      String before = h.get("/metrics").bodyAsString();
      List<Sent> sent = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (String s : TestBundles.SERIES) {
          int horizon = round == 2 ? 7 : 14;
          double[] history = null;
          JsonObject body = new JsonObject().put("series", s).put("horizon", horizon);
          if (round == 1) {
            history = new double[30];
            JsonArray a = new JsonArray();
            for (int i = 0; i < history.length; i++) {
              history[i] = 500 + 37 * i + 11 * s.length() * (i % 7);
              a.add(history[i]);
            }
            body.put("history", a);
          }
          sent.add(
              new Sent(s, horizon, history, h.client.post("/v1/forecast").sendJsonObject(body)));
        }
      }
      Future<HttpResponse<Buffer>> bad =
          h.client
              .post("/v1/forecast")
              .sendJsonObject(
                  new JsonObject()
                      .put("series", "USA")
                      .put("horizon", 14)
                      .put("history", new JsonArray().add(1).add(2)));
      try (ModelBundle b = ModelBundle.load(dir)) {
        for (Sent s : sent) {
          HttpResponse<Buffer> r =
              s.reply().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
          assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
          JsonObject f = r.bodyAsJsonObject();
          assertThat(f.getString("series")).isEqualTo(s.series());
          Forecast expected =
              s.history() == null
                  ? b.forecast(s.series(), s.horizon())
                  : b.forecaster().forecastWithRecent(s.series(), s.horizon(), s.history());
          JsonArray values = f.getJsonArray("values");
          assertThat(values).hasSize(s.horizon());
          for (int i = 0; i < s.horizon(); i++) {
            assertThat(values.getDouble(i))
                .as(s.series() + " day " + i)
                .isCloseTo(expected.values()[i], within(1e-6 * Math.max(1, expected.values()[i])));
          }
        }
      }
      HttpResponse<Buffer> r =
          bad.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.bodyAsJsonObject().getString("error")).contains("history");
      // 9 forecasts in fewer batches than requests: they were batched (the bad one never reached
      // the model)
      String after = h.get("/metrics").bodyAsString();
      String sum = "almanac_server_batch_size_sum{model=\"covid-cases\"}";
      String count = "almanac_server_batch_size_count{model=\"covid-cases\"}";
      assertThat(metric(after, sum) - metric(before, sum)).isEqualTo(9.0);
      assertThat(metric(after, count) - metric(before, count)).isLessThan(9.0);
    }
  }

  static double metric(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    assertThat(m.find()).as(series + " in\n" + scrape).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
