package dev.almanac.server.model;

import dev.almanac.server.metrics.ServerMetrics.ModelMeters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects concurrent requests for one model version into batches, without a thread of its own: the
 * caller that finds the model idle runs the batch itself, on its own thread (an event loop), while
 * callers arriving meanwhile only queue their request and return to their own work; when the batch
 * is done, the running caller takes whatever queued up as the next batch (at most
 * {@code maxBatchSize} rows, same key only) until the queue is empty. So a lone request runs at once
 * on its caller's thread (no hand-off, no delay), and under load the batch size grows with the
 * queue (a caller that has run several batches for others hands the rest to a pool thread, so a slow
 * model cannot pin an event loop). The earlier design ran batches on one worker thread per model: every request crossed two
 * threads, which with a model call of a few microseconds lowered throughput and raised p99.
 *
 * <p>{@code maxDelayNanos} > 0 lets a batch that already holds several requests wait once, until
 * that long after its first request, for more; the wait parks the running caller's thread (an event
 * loop), so it only pays off for expensive model calls. {@code maxBatchSize} 1 turns batching off:
 * every caller runs its own request at once, concurrently with others (the session is thread-safe).
 *
 * @param <I> one request
 * @param <O> its answer
 */
public final class DynamicBatcher<I, O> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);
  private static final long PARK_SLICE_NANOS = 20_000;
  /** Batches one caller runs before it hands the queue to {@link #handOff}. */
  static final int BATCHES_PER_CALLER = 8;

  /** Runs one batch; returns one answer per request, in order. */
  @FunctionalInterface
  public interface BatchFunction<I, O> {
    List<O> run(List<I> requests, long rows);
  }

  private final String name;
  private final int maxBatchSize;
  private final long maxDelayNanos;
  private final ToLongFunction<I> rowsOf;
  private final Function<I, Object> keyOf;
  private final BatchFunction<I, O> function;
  private final ModelMeters meters;
  private final Executor handOff;
  private final ConcurrentLinkedQueue<Pending<I, O>> queue = new ConcurrentLinkedQueue<>();
  /** Requests queued or carried and not yet in a batch; counted after they are visible to a runner. */
  private final AtomicInteger waiting = new AtomicInteger();
  /** Held by the caller running batches. */
  private final AtomicBoolean running = new AtomicBoolean();
  /** A request that did not fit the last batch (other key, too many rows); only the runner touches it. */
  private Pending<I, O> carried;
  private volatile boolean closed;

  private record Pending<I, O>(I request, long rows, Object key, CompletableFuture<O> result, long enqueuedNanos) {}

  public DynamicBatcher(String name, int maxBatchSize, long maxDelayNanos, ToLongFunction<I> rowsOf, Function<I, Object> keyOf,
      BatchFunction<I, O> function, ModelMeters meters) {
    this(name, maxBatchSize, maxDelayNanos, rowsOf, keyOf, function, meters, ForkJoinPool.commonPool());
  }

  /** @param handOff runs the queue when a caller has run its share of batches (see {@link #drain}) */
  public DynamicBatcher(String name, int maxBatchSize, long maxDelayNanos, ToLongFunction<I> rowsOf, Function<I, Object> keyOf,
      BatchFunction<I, O> function, ModelMeters meters, Executor handOff) {
    this.handOff = handOff;
    this.name = name;
    this.maxBatchSize = Math.max(1, maxBatchSize);
    this.maxDelayNanos = Math.max(0, maxDelayNanos);
    this.rowsOf = rowsOf;
    this.keyOf = keyOf;
    this.function = function;
    this.meters = meters;
  }

  /**
   * Queues one request and, when the model is idle, runs batches on the calling thread until the queue
   * is empty. The future may complete before this returns (on this thread) or later on the thread of
   * another caller.
   */
  public CompletableFuture<O> submit(I request) {
    CompletableFuture<O> f = new CompletableFuture<>();
    if (closed) {
      f.completeExceptionally(unloaded());
      return f;
    }
    Pending<I, O> p = new Pending<>(request, rowsOf.applyAsLong(request), maxBatchSize == 1 ? null : keyOf.apply(request), f,
        maxDelayNanos == 0 ? 0 : System.nanoTime());
    if (maxBatchSize == 1) {
      run(List.of(p), p.rows());
      return f;
    }
    queue.add(p);
    waiting.incrementAndGet();
    drain(true);
    return f;
  }

  private static IllegalStateException unloaded() {
    return new IllegalStateException("model version is unloaded");
  }

  /**
   * Becomes the runner if nobody is and runs batches until nothing waits. The re-check after letting
   * go covers a request queued between the runner's last look and its release. A caller that has run
   * {@link #BATCHES_PER_CALLER} batches for others while more keep arriving (a slow model under
   * sustained load) hands the rest to a pool thread and returns to its own connections.
   */
  private void drain(boolean mayHandOff) {
    while (waiting.get() > 0 && running.compareAndSet(false, true)) {
      int batches = 0;
      try {
        while (waiting.get() > 0 && (batches < BATCHES_PER_CALLER || !mayHandOff)) {
          runNextBatch();
          batches++;
        }
      } finally {
        running.set(false);
      }
      if (batches >= BATCHES_PER_CALLER && mayHandOff && waiting.get() > 0) {
        handOff.execute(() -> drain(false));
        return;
      }
    }
  }

  private void runNextBatch() {
    Pending<I, O> first = carried;
    carried = null;
    if (first == null) {
      first = queue.poll();
      if (first == null) {
        return;   // counted but not yet visible: the loop looks again
      }
    }
    List<Pending<I, O>> batch = new ArrayList<>(Math.min(maxBatchSize, 64));
    batch.add(first);
    long rows = first.rows();
    boolean waited = false;
    while (rows < maxBatchSize) {
      Pending<I, O> p = queue.poll();
      if (p == null) {
        if (maxDelayNanos == 0 || batch.size() < 2 || waited) {
          break;
        }
        // several requests are arriving: wait once, until the first one's deadline, for more
        waited = true;
        long deadline = first.enqueuedNanos() + maxDelayNanos;
        long left;
        while ((p = queue.poll()) == null && (left = deadline - System.nanoTime()) > 0) {
          LockSupport.parkNanos(Math.min(left, PARK_SLICE_NANOS));
        }
        if (p == null) {
          break;
        }
      }
      if (!p.key().equals(first.key()) || rows + p.rows() > maxBatchSize) {
        carried = p;
        break;
      }
      batch.add(p);
      rows += p.rows();
    }
    waiting.addAndGet(-batch.size());
    run(batch, rows);
  }

  private void run(List<Pending<I, O>> batch, long rows) {
    long t0 = System.nanoTime();
    List<O> out;
    try {
      List<I> requests = new ArrayList<>(batch.size());
      for (Pending<I, O> p : batch) {
        requests.add(p.request());
      }
      out = function.run(requests, rows);
      meters.inference().record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
      meters.batchSize().record(rows);
    } catch (RuntimeException e) {
      LOG.warn("{}: inference failed for a batch of {} rows: {}", name, rows, e.toString());
      batch.forEach(p -> p.result().completeExceptionally(e));
      return;
    }
    // completing runs the callers' callbacks on this thread; one that throws must not starve the rest
    for (int i = 0; i < batch.size(); i++) {
      try {
        batch.get(i).result().complete(out.get(i));
      } catch (RuntimeException e) {
        LOG.warn("{}: a request callback failed: {}", name, e.toString());
      }
    }
  }

  /**
   * Stops accepting requests and finishes those queued (on this thread unless another caller is
   * running batches, which then finishes them); a request racing with close() is still answered,
   * by its own caller, or fails if the model is gone by then.
   */
  @Override
  public void close() {
    closed = true;
    drain(false);
  }
}
