package dev.almanac.server.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.almanac.server.metrics.ServerMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DynamicBatcherTest {
  final ServerMetrics metrics = new ServerMetrics();

  /** A batch function that blocks its first call until {@code gate} opens, so later requests queue up behind it. */
  static <T> DynamicBatcher.BatchFunction<T, T> heldFirst(CountDownLatch entered, CountDownLatch gate, List<List<T>> batches,
      Function<T, T> answer) {
    return (reqs, rows) -> {
      entered.countDown();
      try {
        gate.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      batches.add(List.copyOf(reqs));
      return reqs.stream().map(answer).toList();
    };
  }

  @Test
  void concurrentRequestsShareBatchesUpToTheLimitAndGetTheirOwnAnswers() throws Exception {
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", 4, 0, r -> 1, r -> "k",
        heldFirst(entered, gate, batches, x -> x * 10), metrics.model("m", "1"));
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      // the first caller finds the model idle and runs its request on its own thread
      Future<CompletableFuture<Integer>> first = other.submit(() -> b.submit(0));
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      // while it runs, these only queue and return at once, unanswered
      List<CompletableFuture<Integer>> fs = new ArrayList<>();
      for (int i = 1; i < 10; i++) {
        fs.add(b.submit(i));
      }
      assertThat(fs).noneMatch(CompletableFuture::isDone);
      gate.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS)).isZero();
      for (int i = 1; i < 10; i++) {
        assertThat(fs.get(i - 1).get(10, TimeUnit.SECONDS)).isEqualTo(i * 10);
      }
      // the first caller ran the queued ones as batches of at most 4, in arrival order
      assertThat(batches).containsExactly(List.of(0), List.of(1, 2, 3, 4), List.of(5, 6, 7, 8), List.of(9));
    } finally {
      other.shutdownNow();
    }
    b.close();
    assertThat(metrics.scrape()).contains("almanac_server_batch_size_count{model=\"m\"} 4");
  }

  @Test
  void aLoneRequestRunsAtOnceOnTheCallersThread() throws Exception {
    List<Thread> ranOn = new CopyOnWriteArrayList<>();
    DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", 32, TimeUnit.SECONDS.toNanos(5), r -> 1, r -> "k", (reqs, rows) -> {
      ranOn.add(Thread.currentThread());
      return reqs;
    }, metrics.model("m", "1"));
    CompletableFuture<Integer> f = b.submit(7);
    // answered before submit returned, on this thread: no hand-off and no wait for company
    assertThat(f).isCompletedWithValue(7);
    assertThat(ranOn).containsExactly(Thread.currentThread());
    b.close();
  }

  @Test
  void aCallerHandsALongQueueToThePoolAfterItsShareOfBatches() throws Exception {
    List<String> ranOn = new CopyOnWriteArrayList<>();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    DynamicBatcher.BatchFunction<Integer, Integer> held = heldFirst(entered, gate, batches, x -> x + 1);
    ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "hand-off"));
    ExecutorService other = Executors.newSingleThreadExecutor(r -> new Thread(r, "first-caller"));
    DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", 2, 0, r -> 1, r -> "k", (reqs, rows) -> {
      ranOn.add(Thread.currentThread().getName());
      return held.run(reqs, rows);
    }, metrics.model("m", "1"), pool);
    try {
      Future<CompletableFuture<Integer>> first = other.submit(() -> b.submit(0));
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      List<CompletableFuture<Integer>> fs = new ArrayList<>();
      for (int i = 1; i <= 20; i++) {
        fs.add(b.submit(i));
      }
      gate.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS)).isEqualTo(1);
      for (int i = 1; i <= 20; i++) {
        assertThat(fs.get(i - 1).get(10, TimeUnit.SECONDS)).isEqualTo(i + 1);
      }
      // 11 batches: the first caller ran its share, a pool thread the rest
      assertThat(ranOn).hasSize(11);
      assertThat(ranOn.subList(0, DynamicBatcher.BATCHES_PER_CALLER)).containsOnly("first-caller");
      assertThat(ranOn.subList(DynamicBatcher.BATCHES_PER_CALLER, 11)).containsOnly("hand-off");
    } finally {
      other.shutdownNow();
      pool.shutdownNow();
    }
    b.close();
  }

  @Test
  void requestsWithDifferentKeysNeverShareABatch() throws Exception {
    List<List<String>> batches = new CopyOnWriteArrayList<>();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    DynamicBatcher<String, String> b = new DynamicBatcher<>("t", 16, 0, r -> 1, r -> r.substring(0, 1),
        heldFirst(entered, gate, batches, x -> x), metrics.model("m", "1"));
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      Future<CompletableFuture<String>> first = other.submit(() -> b.submit("a0"));
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      List<CompletableFuture<String>> fs = new ArrayList<>();
      for (String s : List.of("a1", "b1", "a2", "b2", "a3")) {
        fs.add(b.submit(s));
      }
      gate.countDown();
      first.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
      for (CompletableFuture<String> f : fs) {
        f.get(10, TimeUnit.SECONDS);
      }
    } finally {
      other.shutdownNow();
    }
    assertThat(batches).allSatisfy(batch -> assertThat(batch.stream().map(s -> s.charAt(0)).distinct()).hasSize(1));
    assertThat(batches).contains(List.of("a1"));
    assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(6);
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

  @Test
  void closeFinishesWhatIsQueuedBeforeRefusing() throws Exception {
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("t", 8, 0, r -> 1, r -> "k",
        heldFirst(entered, gate, batches, x -> -x), metrics.model("m", "1"));
    ExecutorService other = Executors.newFixedThreadPool(2);
    try {
      other.submit(() -> b.submit(1));
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Integer> queued = b.submit(2);
      Future<?> closing = other.submit(b::close);
      gate.countDown();
      closing.get(10, TimeUnit.SECONDS);
      assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo(-2);
      assertThatThrownBy(() -> b.submit(3).get(10, TimeUnit.SECONDS)).hasMessageContaining("unloaded");
    } finally {
      other.shutdownNow();
    }
  }
}
