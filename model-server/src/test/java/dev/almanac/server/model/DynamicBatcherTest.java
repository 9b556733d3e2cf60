package dev.almanac.server.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.almanac.server.metrics.ServerMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DynamicBatcherTest {
  final ServerMetrics metrics = new ServerMetrics();

  @Test
  void concurrentRequestsShareBatchesUpToTheLimitAndGetTheirOwnAnswers() throws Exception {
    List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    CountDownLatch gate = new CountDownLatch(1);
    DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", 4, TimeUnit.MILLISECONDS.toNanos(50), r -> 1, r -> "k",
        (reqs, rows) -> {
          try {
            gate.await(10, TimeUnit.SECONDS);   // hold the first batch so the rest queue up
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          batchSizes.add(reqs.size());
          return reqs.stream().map(x -> x * 10).toList();
        }, metrics.model("m", "1"));
    List<CompletableFuture<Integer>> fs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      fs.add(b.submit(i));
    }
    gate.countDown();
    for (int i = 0; i < 10; i++) {
      assertThat(fs.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i * 10);
    }
    assertThat(batchSizes).allSatisfy(s -> assertThat(s).isBetween(1, 4));
    assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(10);
    assertThat(batchSizes.size()).isLessThan(10);
    b.close();
    assertThat(metrics.scrape()).contains("almanac_server_batch_size_count{model=\"m\"} " + batchSizes.size());
  }

  @Test
  void requestsWithDifferentKeysNeverShareABatch() throws Exception {
    List<List<String>> batches = new CopyOnWriteArrayList<>();
    DynamicBatcher<String, String> b = new DynamicBatcher<>("t", 16, TimeUnit.MILLISECONDS.toNanos(20), r -> 1,
        r -> r.substring(0, 1), (reqs, rows) -> {
          batches.add(List.copyOf(reqs));
          return reqs;
        }, metrics.model("m", "1"));
    List<CompletableFuture<String>> fs = new ArrayList<>();
    for (String s : List.of("a1", "b1", "a2", "b2", "a3")) {
      fs.add(b.submit(s));
    }
    for (CompletableFuture<String> f : fs) {
      f.get(10, TimeUnit.SECONDS);
    }
    assertThat(batches).allSatisfy(batch -> assertThat(batch.stream().map(s -> s.charAt(0)).distinct()).hasSize(1));
    b.close();
  }

  @Test
  void aFailingBatchFailsItsRequestsOnlyAndClosedBatchersRefuse() throws Exception {
    DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", 1, 0, r -> 1, r -> "k", (reqs, rows) -> {
      if (reqs.get(0) < 0) {
        throw new IllegalArgumentException("negative");
      }
      return reqs;
    }, metrics.model("m", "1"));
    assertThatThrownBy(() -> b.submit(-1).get(10, TimeUnit.SECONDS)).hasMessageContaining("negative");
    assertThat(b.submit(3).get(10, TimeUnit.SECONDS)).isEqualTo(3);
    b.close();
    assertThatThrownBy(() -> b.submit(4).get(10, TimeUnit.SECONDS)).hasMessageContaining("unloaded");
  }
}
