package dev.almanac.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.almanac.server.bundle.BundleModelLoader;
import dev.almanac.server.bundle.ModelSourceResolver;
import dev.almanac.server.model.BatchSettings;
import dev.almanac.server.model.ModelLoadException;
import dev.almanac.server.model.ServedModel;
import dev.almanac.server.model.Tensor;
import dev.almanac.server.model.TensorModel;
import dev.almanac.server.model.TensorSpec;
import dev.almanac.testbed.Timeouts;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness gating at start-up and graceful shutdown. */
class LifecycleTest {
  @TempDir Path tmp;

  @Test
  void notReadyUntilEveryModelIsLoadedAndWarmedUp() throws Exception {
    Path bundle = TestBundles.classifier(tmp.resolve("d"), "disease", "1");
    CountDownLatch release = new CountDownLatch(1);
    ServerConfig c = ServerHarness.config(List.of(bundle.toString()));
    try (ServerHarness h =
        ServerHarness.start(
            c,
            m -> {
              BundleModelLoader real =
                  new BundleModelLoader(
                      ModelSourceResolver.localOnly(), BatchSettings.ofMillis(1, 0), m);
              return (source, name) -> {
                try {
                  release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  throw new ModelLoadException("interrupted");
                }
                return real.load(source, name);
              };
            })) {
      var r = h.get("/v2/health/ready");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.bodyAsJsonObject().getBoolean("ready")).isFalse();
      assertThat(h.get("/v2/health/live").statusCode()).isEqualTo(200);
      assertThat(h.get("/metrics").bodyAsString()).contains("almanac_server_ready 0");
      release.countDown();
      await()
          .atMost(Timeouts.seconds(30))
          .until(() -> h.get("/v2/health/ready").statusCode() == 200);
      assertThat(h.get("/metrics").bodyAsString()).contains("almanac_server_ready 1");
    }
  }

  @Test
  void aModelThatFailsToLoadKeepsTheServerNotReady() throws Exception {
    Path good = TestBundles.classifier(tmp.resolve("d"), "disease", "1");
    ServerConfig c =
        ServerHarness.config(List.of(good.toString(), tmp.resolve("missing").toString()));
    try (ServerHarness h = ServerHarness.start(c, ServerHarness.bundles(c))) {
      await()
          .atMost(Timeouts.seconds(30))
          .until(() -> h.server.models().names().contains("disease"));
      await()
          .atMost(Timeouts.seconds(30))
          .until(
              () ->
                  h.get("/metrics")
                      .bodyAsString()
                      .contains(
                          "almanac_server_model_load_failures_total{model=\""
                              + tmp.resolve("missing")
                              + "\"} 1"));
      assertThat(h.get("/v2/health/ready").statusCode()).isEqualTo(503);
    }
  }

  @Test
  void shutdownDrainsInFlightRequests() throws Exception {
    Path bundle = TestBundles.classifier(tmp.resolve("d"), "disease", "1");
    CountDownLatch inModel = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    // the blocked model call holds its event loop; the late request's new connection goes to the
    // other one
    ServerConfig c = ServerHarness.config(List.of(bundle.toString())).withEventLoops(2);
    ServerHarness h =
        ServerHarness.start(
            c,
            m -> {
              BundleModelLoader real =
                  new BundleModelLoader(
                      ModelSourceResolver.localOnly(), BatchSettings.ofMillis(1, 0), m);
              return (source, name) -> {
                ServedModel s = real.load(source, name);
                // same model, but infer blocks (after warm-up) until the test lets it finish
                TensorModel slow = new SlowTensorModel(s.tensors(), inModel, finish);
                return new ServedModel(
                    s.name(),
                    s.version(),
                    s.source(),
                    slow,
                    null,
                    s.classification(),
                    s.info(),
                    BatchSettings.ofMillis(1, 0),
                    m.model(s.name(), s.version()),
                    () -> {});
              };
            });
    await().atMost(Timeouts.seconds(30)).until(h.server::isReady);
    CompletableFuture<Integer> inflight =
        h.client
            .post("/v2/models/disease/infer")
            .putHeader("content-type", "application/json")
            .sendBuffer(
                io.vertx.core.buffer.Buffer.buffer(
                    BadInputTest.features("FP32", "[1,132]", BadInputTest.zeros(132))))
            .map(r -> r.statusCode())
            .toCompletionStage()
            .toCompletableFuture();
    assertThat(inModel.await(30, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> stopped = h.server.stop();
    await().atMost(Timeouts.seconds(10)).until(() -> !h.server.isReady());
    // (metadata, not infer: the blocked model would hold an infer until the test lets it go)
    var late = h.get("/v2/models/disease");
    // answered, and told to reconnect elsewhere: a keep-alive client loses no request to a roll
    assertThat(late.statusCode()).as(late.bodyAsString()).isEqualTo(200);
    assertThat(late.getHeader("connection")).isEqualToIgnoringCase("close");
    assertThat(stopped).isNotDone();
    finish.countDown();
    assertThat(inflight.get(30, TimeUnit.SECONDS)).isEqualTo(200);
    stopped.get(30, TimeUnit.SECONDS);
    h.client.close();
    h.clientVertx.close();
  }

  /** Delegates to a real model; every call after the first (the warm-up) waits for the test. */
  static final class SlowTensorModel implements TensorModel {
    private final TensorModel real;
    private final CountDownLatch entered;
    private final CountDownLatch finish;
    private int calls;

    SlowTensorModel(TensorModel real, CountDownLatch entered, CountDownLatch finish) {
      this.real = real;
      this.entered = entered;
      this.finish = finish;
    }

    @Override
    public List<TensorSpec> inputs() {
      return real.inputs();
    }

    @Override
    public List<TensorSpec> outputs() {
      return real.outputs();
    }

    @Override
    public String platform() {
      return real.platform();
    }

    @Override
    public synchronized List<Tensor> run(List<Tensor> inputs) {
      if (calls++ > 0) {
        entered.countDown();
        try {
          finish.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return real.run(inputs);
    }

    @Override
    public void close() {
      real.close();
    }
  }
}
