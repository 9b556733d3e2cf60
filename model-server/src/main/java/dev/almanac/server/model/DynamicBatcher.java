package dev.almanac.server.model;

import dev.almanac.server.metrics.ServerMetrics.ModelMeters;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects concurrent requests for one model version into batches: whatever is queued when the
 * model becomes free forms the next batch (at most {@code maxBatchSize} rows); when several requests
 * are queued the batch may wait once, until {@code maxDelayNanos} after its first request, for
 * more; a lone request runs at once. Only
 * requests with the same key (e.g. same tensor names and inner shape) share a batch. One thread per
 * batcher runs the batches, so the event loops never block on inference. With {@code maxBatchSize}
 * 1 it is a plain single-thread executor.
 *
 * @param <I> one request
 * @param <O> its answer
 */
public final class DynamicBatcher<I, O> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);

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
  private final LinkedBlockingQueue<Pending<I, O>> queue = new LinkedBlockingQueue<>();
  private final ArrayDeque<Pending<I, O>> carried = new ArrayDeque<>();
  private final Pending<I, O> poison = new Pending<>(null, 0, null, null, 0);
  private final Thread worker;
  private volatile boolean closed;

  private record Pending<I, O>(I request, long rows, Object key, CompletableFuture<O> result, long enqueuedNanos) {}

  public DynamicBatcher(String name, int maxBatchSize, long maxDelayNanos, ToLongFunction<I> rowsOf, Function<I, Object> keyOf,
      BatchFunction<I, O> function, ModelMeters meters) {
    this.name = name;
    this.maxBatchSize = Math.max(1, maxBatchSize);
    this.maxDelayNanos = Math.max(0, maxDelayNanos);
    this.rowsOf = rowsOf;
    this.keyOf = keyOf;
    this.function = function;
    this.meters = meters;
    this.worker = new Thread(this::loop, "batcher-" + name);
    this.worker.setDaemon(true);
    this.worker.start();
  }

  /** Queues one request; the future completes on the batcher thread. */
  public CompletableFuture<O> submit(I request) {
    CompletableFuture<O> f = new CompletableFuture<>();
    if (closed) {
      f.completeExceptionally(new IllegalStateException("model version is unloaded"));
      return f;
    }
    queue.add(new Pending<>(request, rowsOf.applyAsLong(request), keyOf.apply(request), f, System.nanoTime()));
    return f;
  }

  private void loop() {
    List<Pending<I, O>> batch = new ArrayList<>(maxBatchSize);
    while (true) {
      try {
        Pending<I, O> first = carried.isEmpty() ? queue.take() : carried.poll();
        if (first == poison) {
          return;
        }
        batch.clear();
        batch.add(first);
        long rows = first.rows();
        long deadline = first.enqueuedNanos() + maxDelayNanos;
        boolean waited = false;
        while (rows < maxBatchSize) {
          // requests already queued join at once; a lone request never waits, so batching adds no
          // latency at low load, and only while several are arriving does the batch wait (up to the
          // deadline) for more
          Pending<I, O> p = queue.poll();
          if (p == null) {
            long wait = deadline - System.nanoTime();
            if (batch.size() < 2 || waited || wait <= 0 || (p = queue.poll(wait, TimeUnit.NANOSECONDS)) == null) {
              break;
            }
            waited = true;
          }
          if (p == poison || !p.key().equals(first.key()) || rows + p.rows() > maxBatchSize) {
            carried.add(p);
            break;
          }
          batch.add(p);
          rows += p.rows();
        }
        run(batch, rows);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void run(List<Pending<I, O>> batch, long rows) {
    long t0 = System.nanoTime();
    try {
      List<I> requests = new ArrayList<>(batch.size());
      for (Pending<I, O> p : batch) {
        requests.add(p.request());
      }
      List<O> out = function.run(requests, rows);
      meters.inference().record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
      meters.batchSize().record(rows);
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result().complete(out.get(i));
      }
    } catch (RuntimeException e) {
      LOG.warn("{}: inference failed for a batch of {} rows: {}", name, rows, e.toString());
      batch.forEach(p -> p.result().completeExceptionally(e));
    }
  }

  /** Stops accepting requests, finishes those queued, then stops the thread. */
  @Override
  public void close() {
    closed = true;
    queue.add(poison);
    try {
      if (Thread.currentThread() != worker) {
        worker.join(TimeUnit.SECONDS.toMillis(30));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // anything that raced with close() gets an error rather than a hang
    List<Pending<I, O>> left = new ArrayList<>(queue);
    left.addAll(carried);
    for (Pending<I, O> p : left) {
      if (p != poison) {
        p.result().completeExceptionally(new IllegalStateException("model version is unloaded"));
      }
    }
  }
}
