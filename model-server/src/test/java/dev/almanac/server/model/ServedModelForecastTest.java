package dev.almanac.server.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.almanac.server.metrics.ServerMetrics;
import io.vertx.core.Vertx;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Forecasts through a served model's batcher: one batch call for the requests of a pass, and a bad
 * one fails alone.
 */
class ServedModelForecastTest {
  static final Vertx VERTX = Vertx.vertx();
  static final LocalDate DAY = LocalDate.of(2021, 4, 24);

  @AfterAll
  static void close() {
    VERTX.close();
  }

  /**
   * Forecasts the series' name length for every day; "BAD" cannot be forecast, which fails a whole
   * forecastAll.
   */
  static final class NameLengthTask implements ForecastTask {
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

    @Override
    public List<String> series() {
      return List.of("USA", "GERMANY", "BAD");
    }

    @Override
    public int minHistory() {
      return 1;
    }

    @Override
    public int defaultHorizon() {
      return 3;
    }

    @Override
    public Forecast forecast(String series, int horizon, double[] history) {
      if (series.equals("BAD")) {
        throw new IllegalArgumentException("series BAD cannot be forecast");
      }
      double[] v = new double[horizon];
      java.util.Arrays.fill(v, series.length() + (history == null ? 0 : history[0]));
      return new Forecast(
          java.util.stream.IntStream.range(0, horizon).mapToObj(h -> DAY.plusDays(h + 1L)).toList(),
          v);
    }

    @Override
    public List<Forecast> forecastAll(List<Request> requests) {
      batchSizes.add(requests.size());
      return requests.stream().map(r -> forecast(r.series(), r.horizon(), r.history())).toList();
    }

    @Override
    public SeriesView view(String series) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, Double> metrics() {
      return Map.of();
    }
  }

  static TensorModel noTensors() {
    return new TensorModel() {
      @Override
      public List<TensorSpec> inputs() {
        return List.of();
      }

      @Override
      public List<TensorSpec> outputs() {
        return List.of();
      }

      @Override
      public String platform() {
        return "none";
      }

      @Override
      public List<Tensor> run(List<Tensor> inputs) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void requestsOfOnePassShareOneCallAndABadOneFailsAlone() throws Exception {
    NameLengthTask task = new NameLengthTask();
    ServedModel m =
        new ServedModel(
            "covid",
            "1",
            "test",
            noTensors(),
            task,
            null,
            Map.of(),
            new BatchSettings(32, 0),
            new ServerMetrics().model("covid", "1"),
            () -> {});
    CompletableFuture<List<CompletableFuture<ForecastTask.Forecast>>> sent =
        new CompletableFuture<>();
    VERTX
        .getOrCreateContext()
        .runOnContext(
            v ->
                sent.complete(
                    List.of(
                        m.forecast("USA", 3, null),
                        m.forecast("GERMANY", 3, new double[] {10}),
                        m.forecast("USA", 5, null))));
    List<CompletableFuture<ForecastTask.Forecast>> fs = sent.get(10, TimeUnit.SECONDS);
    assertThat(fs.get(0).get(10, TimeUnit.SECONDS).values()).containsExactly(3, 3, 3);
    assertThat(fs.get(1).get(10, TimeUnit.SECONDS).values()).containsExactly(17, 17, 17);
    assertThat(fs.get(2).get(10, TimeUnit.SECONDS).values()).hasSize(5);
    // one call per horizon: the two 3-day requests together, the 5-day one alone
    assertThat(task.batchSizes).containsExactlyInAnyOrder(2, 1);

    CompletableFuture<List<CompletableFuture<ForecastTask.Forecast>>> mixed =
        new CompletableFuture<>();
    VERTX
        .getOrCreateContext()
        .runOnContext(
            v ->
                mixed.complete(
                    List.of(
                        m.forecast("USA", 3, null),
                        m.forecast("BAD", 3, null),
                        m.forecast("GERMANY", 3, null))));
    List<CompletableFuture<ForecastTask.Forecast>> ms = mixed.get(10, TimeUnit.SECONDS);
    assertThat(ms.get(0).get(10, TimeUnit.SECONDS).values()).containsExactly(3, 3, 3);
    assertThatThrownBy(() -> ms.get(1).get(10, TimeUnit.SECONDS))
        .hasMessageContaining("series BAD cannot be forecast");
    assertThat(ms.get(2).get(10, TimeUnit.SECONDS).values()).containsExactly(7, 7, 7);
    m.close();
  }
}
