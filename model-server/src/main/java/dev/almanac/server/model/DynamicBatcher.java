package dev.almanac.server.model;

import dev.almanac.server.metrics.ServerMetrics.ModelMeters;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches the requests for one model version that an event loop reads in one pass over its ready
 * connections. A request submitted on an event loop is only collected; the first one of a pass
 * queues a flush as a task of that event loop, which Netty runs after it has read every connection
 * that had data, so the batch holds whatever arrived together, without a timer, a lock or another
 * thread. The batch runs on the event loop that read its requests, and their replies are written
 * there too. Each event loop batches on its own (the session is thread-safe); a batch reaching
 * {@code maxBatchSize} rows runs at once.
 *
 * <p>Why not one queue for all event loops (the earlier design: the caller finding the model idle
 * ran what others had queued): an event loop running a batch is not reading, so the only requests
 * that could queue behind it were the other loop's; batches stayed at one or two rows (mean 1.46 at
 * 64 connections) and half the replies crossed threads.
 *
 * <p>{@code maxDelayNanos} > 0 flushes on a timer instead, that long after a batch's first request,
 * so requests from later passes can join (for models whose call costs much more than a pass).
 * {@code maxBatchSize} 1 turns batching off. Callers that are not on an event loop (warm-up on a
 * worker, tests) run their request alone at once.
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
  private final long maxDelayMillis;
  private final ToLongFunction<I> rowsOf;
  private final Function<I, Object> keyOf;
  private final BatchFunction<I, O> function;
  private final ModelMeters meters;

  /** One collector per event loop thread; only that thread touches it. */
  private final ThreadLocal<Collector> collectors = ThreadLocal.withInitial(Collector::new);

  private volatile boolean closed;

  private record Pending<I, O>(I request, long rows, Object key, CompletableFuture<O> result) {}

  public DynamicBatcher(
      String name,
      int maxBatchSize,
      long maxDelayNanos,
      ToLongFunction<I> rowsOf,
      Function<I, Object> keyOf,
      BatchFunction<I, O> function,
      ModelMeters meters) {
    this.name = name;
    this.maxBatchSize = Math.max(1, maxBatchSize);
    // Vert.x timers have millisecond resolution; a positive delay below 1 ms waits 1 ms
    this.maxDelayMillis =
        maxDelayNanos <= 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(maxDelayNanos));
    this.rowsOf = rowsOf;
    this.keyOf = keyOf;
    this.function = function;
    this.meters = meters;
  }

  /**
   * Collects one request into this event loop's batch, or runs it at once when batching is off or
   * the caller is not on an event loop. The future completes on the caller's thread, during this
   * call or in the batch's flush.
   */
  public CompletableFuture<O> submit(I request) {
    CompletableFuture<O> f = new CompletableFuture<>();
    if (closed) {
      f.completeExceptionally(unloaded());
      return f;
    }
    long rows = rowsOf.applyAsLong(request);
    Context context = Vertx.currentContext();
    if (maxBatchSize == 1 || context == null || !Context.isOnEventLoopThread()) {
      run(List.of(new Pending<>(request, rows, null, f)), rows);
      return f;
    }
    collectors.get().add(new Pending<>(request, rows, keyOf.apply(request), f), context);
    return f;
  }

  private static IllegalStateException unloaded() {
    return new IllegalStateException("model version is unloaded");
  }

  /** The requests one event loop has collected and not yet run. */
  private final class Collector {
    private List<Pending<I, O>> pending = new ArrayList<>();
    private long rows;

    /**
     * Counts flushes, so a queued flush that finds its batch already run (it filled up) does
     * nothing.
     */
    private long generation;

    private long timer = -1;

    void add(Pending<I, O> p, Context context) {
      if (pending.isEmpty()) {
        long mine = generation;
        if (maxDelayMillis == 0) {
          context.runOnContext(v -> flushIf(mine));
        } else {
          timer = context.owner().setTimer(maxDelayMillis, id -> flushIf(mine));
        }
      }
      pending.add(p);
      rows += p.rows();
      if (rows >= maxBatchSize) {
        flush();
      }
    }

    private void flushIf(long expected) {
      if (generation == expected) {
        flush();
      }
    }

    /**
     * Runs what was collected, same keys together, in batches of at most {@code maxBatchSize} rows.
     */
    void flush() {
      List<Pending<I, O>> all = pending;
      pending = new ArrayList<>();
      rows = 0;
      generation++;
      if (timer >= 0) {
        Vertx.currentContext().owner().cancelTimer(timer);
        timer = -1;
      }
      Map<Object, List<Pending<I, O>>> byKey = new LinkedHashMap<>();
      for (Pending<I, O> p : all) {
        byKey.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p);
      }
      for (List<Pending<I, O>> same : byKey.values()) {
        List<Pending<I, O>> batch = new ArrayList<>();
        long batchRows = 0;
        for (Pending<I, O> p : same) {
          if (!batch.isEmpty() && batchRows + p.rows() > maxBatchSize) {
            runUnlessClosed(batch, batchRows);
            batch = new ArrayList<>();
            batchRows = 0;
          }
          batch.add(p);
          batchRows += p.rows();
        }
        runUnlessClosed(batch, batchRows);
      }
    }
  }

  private void runUnlessClosed(List<Pending<I, O>> batch, long rows) {
    if (closed) {
      batch.forEach(p -> p.result().completeExceptionally(unloaded()));
    } else {
      run(batch, rows);
    }
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
    // completing runs the callers' callbacks on this thread; one that throws must not starve the
    // rest
    for (int i = 0; i < batch.size(); i++) {
      try {
        batch.get(i).result().complete(out.get(i));
      } catch (RuntimeException e) {
        LOG.warn("{}: a request callback failed: {}", name, e.toString());
      }
    }
  }

  /**
   * Refuses new requests. Requests already collected hold the model version (see {@link
   * ServedModel#acquire()}), so it is only closed after they ran; collected requests of a version
   * closed regardless (server shutdown after the grace period) fail as unloaded.
   */
  @Override
  public void close() {
    closed = true;
  }
}
