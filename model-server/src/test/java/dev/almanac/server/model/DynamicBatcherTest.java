package dev.almanac.server.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.almanac.server.metrics.ServerMetrics;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class DynamicBatcherTest {
  static final Vertx VERTX = Vertx.vertx();
  final ServerMetrics metrics = new ServerMetrics();

  @AfterAll
  static void close() {
    VERTX.close();
  }

  /**
   * Runs {@code work} as one task of an event loop (one pass, as when it reads several connections)
   * and returns its result.
   */
  static <T> T onEventLoop(Context context, Supplier<T> work) throws Exception {
    CompletableFuture<T> r = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          try {
            r.complete(work.get());
          } catch (Throwable t) {
            r.completeExceptionally(t);
          }
        });
    return r.get(10, TimeUnit.SECONDS);
  }

  /** A batch function recording its batches and the threads they ran on. */
  static <T> DynamicBatcher.BatchFunction<T, T> recording(
      List<List<T>> batches, List<Thread> threads, Function<T, T> answer) {
    return (reqs, rows) -> {
      batches.add(List.copyOf(reqs));
      threads.add(Thread.currentThread());
      return reqs.stream().map(answer).toList();
    };
  }

  @Test
  void requestsOfOnePassShareBatchesUpToTheLimitAndGetTheirOwnAnswers() throws Exception {
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    List<Thread> ran = new CopyOnWriteArrayList<>();
    DynamicBatcher<Integer, Integer> b =
        new DynamicBatcher<>(
            "t",
            4,
            0,
            r -> 1,
            r -> "k",
            recording(batches, ran, x -> x * 10),
            metrics.model("m", "1"));
    Context loop = VERTX.getOrCreateContext();
    List<Thread> answeredOn = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Integer>> fs =
        onEventLoop(
            loop,
            () -> {
              List<CompletableFuture<Integer>> out = new ArrayList<>();
              for (int i = 0; i < 10; i++) {
                out.add(b.submit(i).whenComplete((v, e) -> answeredOn.add(Thread.currentThread())));
              }
              // two batches filled up and ran during the pass; the last two wait for its end
              assertThat(batches).containsExactly(List.of(0, 1, 2, 3), List.of(4, 5, 6, 7));
              assertThat(out.subList(8, 10)).noneMatch(CompletableFuture::isDone);
              return out;
            });
    for (int i = 0; i < 10; i++) {
      assertThat(fs.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i * 10);
    }
    assertThat(batches).containsExactly(List.of(0, 1, 2, 3), List.of(4, 5, 6, 7), List.of(8, 9));
    // run and answered on the event loop that read them: no thread hop
    Thread loopThread = onEventLoop(loop, Thread::currentThread);
    assertThat(ran).containsOnly(loopThread);
    assertThat(answeredOn).hasSize(10).containsOnly(loopThread);
    assertThat(metrics.scrape())
        .contains("almanac_server_batch_size_count{model=\"m\"} 3")
        .contains("almanac_server_batch_size_sum{model=\"m\"} 10.0");
    b.close();
  }

  @Test
  void eachEventLoopBatchesItsOwnRequests() throws Exception {
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    List<Thread> ran = new CopyOnWriteArrayList<>();
    DynamicBatcher<Integer, Integer> b =
        new DynamicBatcher<>(
            "t",
            32,
            0,
            r -> 1,
            r -> "k",
            recording(batches, ran, x -> -x),
            metrics.model("m", "1"));
    // new event loop contexts take the group's event loops in turn (getOrCreateContext sticks to
    // one)
    Context one = ((VertxInternal) VERTX).createEventLoopContext();
    Context two = ((VertxInternal) VERTX).createEventLoopContext();
    Thread t1 = onEventLoop(one, Thread::currentThread);
    Thread t2 = onEventLoop(two, Thread::currentThread);
    assertThat(t1).isNotEqualTo(t2);
    List<CompletableFuture<Integer>> a =
        onEventLoop(one, () -> List.of(b.submit(1), b.submit(2), b.submit(3)));
    List<CompletableFuture<Integer>> c = onEventLoop(two, () -> List.of(b.submit(4), b.submit(5)));
    assertThat(a.get(2).get(10, TimeUnit.SECONDS)).isEqualTo(-3);
    assertThat(c.get(1).get(10, TimeUnit.SECONDS)).isEqualTo(-5);
    assertThat(batches).containsExactlyInAnyOrder(List.of(1, 2, 3), List.of(4, 5));
    assertThat(ran.get(batches.indexOf(List.of(1, 2, 3)))).isEqualTo(t1);
    assertThat(ran.get(batches.indexOf(List.of(4, 5)))).isEqualTo(t2);
    b.close();
  }

  @Test
  void aDelayLetsLaterPassesJoinTheBatch() throws Exception {
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    DynamicBatcher<Integer, Integer> b =
        new DynamicBatcher<>(
            "t",
            32,
            TimeUnit.MILLISECONDS.toNanos(300),
            r -> 1,
            r -> "k",
            recording(batches, new CopyOnWriteArrayList<>(), x -> x),
            metrics.model("m", "1"));
    Context loop = VERTX.getOrCreateContext();
    CompletableFuture<Integer> first = onEventLoop(loop, () -> b.submit(1));
    // a later pass of the same loop, well inside the delay
    CompletableFuture<Integer> second = onEventLoop(loop, () -> b.submit(2));
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(batches).containsExactly(List.of(1, 2));
    b.close();
  }

  @Test
  void aFullBatchDoesNotWaitForItsDelay() throws Exception {
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    DynamicBatcher<Integer, Integer> b =
        new DynamicBatcher<>(
            "t",
            2,
            TimeUnit.SECONDS.toNanos(30),
            r -> 1,
            r -> "k",
            recording(batches, new CopyOnWriteArrayList<>(), x -> x),
            metrics.model("m", "1"));
    Context loop = VERTX.getOrCreateContext();
    List<CompletableFuture<Integer>> fs =
        onEventLoop(loop, () -> List.of(b.submit(1), b.submit(2)));
    assertThat(fs).allMatch(CompletableFuture::isDone);
    assertThat(batches).containsExactly(List.of(1, 2));
    b.close();
  }

  @Test
  void aRequestOffTheEventLoopRunsAtOnceOnTheCallersThread() {
    List<Thread> ran = new CopyOnWriteArrayList<>();
    DynamicBatcher<Integer, Integer> b =
        new DynamicBatcher<>(
            "t",
            32,
            TimeUnit.SECONDS.toNanos(5),
            r -> 1,
            r -> "k",
            recording(new CopyOnWriteArrayList<>(), ran, x -> x),
            metrics.model("m", "1"));
    CompletableFuture<Integer> f = b.submit(7);
    // answered before submit returned, on this thread: no hand-off and no wait for company
    assertThat(f).isCompletedWithValue(7);
    assertThat(ran).containsExactly(Thread.currentThread());
    b.close();
  }

  @Test
  void requestsWithDifferentKeysNeverShareABatch() throws Exception {
    List<List<String>> batches = new CopyOnWriteArrayList<>();
    DynamicBatcher<String, String> b =
        new DynamicBatcher<>(
            "t",
            16,
            0,
            r -> 1,
            r -> r.substring(0, 1),
            recording(batches, new CopyOnWriteArrayList<>(), x -> x + "!"),
            metrics.model("m", "1"));
    List<CompletableFuture<String>> fs =
        onEventLoop(
            VERTX.getOrCreateContext(),
            () -> List.of("a1", "b1", "a2", "b2", "a3").stream().map(b::submit).toList());
    assertThat(fs.get(1).get(10, TimeUnit.SECONDS)).isEqualTo("b1!");
    assertThat(fs.get(4).get(10, TimeUnit.SECONDS)).isEqualTo("a3!");
    assertThat(batches).containsExactly(List.of("a1", "a2", "a3"), List.of("b1", "b2"));
    b.close();
  }

  @Test
  void aRequestLargerThanTheLimitRunsAloneAndRowsCountTowardsIt() throws Exception {
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    // the request's value is its row count
    DynamicBatcher<Integer, Integer> b =
        new DynamicBatcher<>(
            "t",
            8,
            0,
            r -> r,
            r -> "k",
            recording(batches, new CopyOnWriteArrayList<>(), x -> x),
            metrics.model("m", "1"));
    List<CompletableFuture<Integer>> fs =
        onEventLoop(
            VERTX.getOrCreateContext(),
            () -> List.of(b.submit(3), b.submit(4), b.submit(20), b.submit(2)));
    for (CompletableFuture<Integer> f : fs) {
      f.get(10, TimeUnit.SECONDS);
    }
    assertThat(batches).containsExactly(List.of(3, 4), List.of(20), List.of(2));
    b.close();
  }

  @Test
  void aFailingBatchFailsItsRequestsOnlyAndClosedBatchersRefuse() throws Exception {
    DynamicBatcher<Integer, Integer> b =
        new DynamicBatcher<>(
            "t",
            4,
            0,
            r -> 1,
            r -> r < 0 ? "neg" : "pos",
            (reqs, rows) -> {
              if (reqs.get(0) < 0) {
                throw new IllegalArgumentException("negative");
              }
              return reqs;
            },
            metrics.model("m", "1"));
    List<CompletableFuture<Integer>> fs =
        onEventLoop(VERTX.getOrCreateContext(), () -> List.of(b.submit(-1), b.submit(3)));
    assertThatThrownBy(() -> fs.get(0).get(10, TimeUnit.SECONDS)).hasMessageContaining("negative");
    assertThat(fs.get(1).get(10, TimeUnit.SECONDS)).isEqualTo(3);
    b.close();
    assertThatThrownBy(() -> b.submit(4).get(10, TimeUnit.SECONDS))
        .hasMessageContaining("unloaded");
  }

  @Test
  void collectedRequestsOfABatcherClosedBeforeTheFlushFailAsUnloaded() throws Exception {
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    DynamicBatcher<Integer, Integer> b =
        new DynamicBatcher<>(
            "t",
            8,
            0,
            r -> 1,
            r -> "k",
            recording(batches, new CopyOnWriteArrayList<>(), x -> x),
            metrics.model("m", "1"));
    CompletableFuture<Integer> f =
        onEventLoop(
            VERTX.getOrCreateContext(),
            () -> {
              CompletableFuture<Integer> collected = b.submit(1);
              b.close();
              return collected;
            });
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasMessageContaining("unloaded");
    assertThat(batches).isEmpty();
  }
}
