package dev.almanac.server.monitoring;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sampled request logging. A route asks {@link #sample()} and hands a {@link PayloadRecord} to
 * {@link #offer}, which compresses it into its own thread's open {@link PayloadBatch} and returns.
 * A batch that reaches {@code batchRecords} records or {@link #MAX_BATCH_BYTES} is finished there
 * and queued for upload; one writer thread uploads queued batches, one object each, and finishes
 * batches that are {@code flushInterval} old. The upload queue is bounded (by records, and by
 * bytes): a finished batch without room is dropped and its records counted, so a slow or
 * unreachable S3 never slows a request. {@link #close()} writes what is left.
 *
 * <p>Why batches per thread: handing each record to the writer made it read ~1.7 KB written by
 * another core per record, which cost it ~3 µs a record, as much as a tenth of a /v1/predict
 * exchange; compressed by the event loop that just wrote them, the same bytes cost ~0.4 µs.
 */
public final class PayloadLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PayloadLog.class);
  private static final DateTimeFormatter OBJECT_TIME =
      DateTimeFormatter.ofPattern("yyyy/MM/dd/HHmmss").withZone(ZoneOffset.UTC);

  /** Finished batches waiting for upload hold at most this many (compressed) bytes. */
  static final long MAX_QUEUED_BYTES = 64L << 20;

  /** A batch is finished once its records reach this many (uncompressed) bytes. */
  static final long MAX_BATCH_BYTES = 64L << 20;

  /** How long the writer sleeps when nothing is queued. */
  private static final long IDLE_MILLIS = 10;

  /** Logs nothing. */
  public static final PayloadLog OFF = new PayloadLog();

  /** A batch ready for upload: compressed, its native compressor already freed. */
  private record Finished(long firstMillis, int records, byte[] zst) {}

  /**
   * One thread's open batch. The lock is its owner's except for the moment the writer takes a batch
   * that is due (or every batch, at close).
   */
  private static final class Slot {
    final ReentrantLock lock = new ReentrantLock();
    // created on its owner thread (ThreadLocal.withInitial); weak: the slot must not keep it alive
    final java.lang.ref.WeakReference<Thread> owner =
        new java.lang.ref.WeakReference<>(Thread.currentThread());
    PayloadBatch batch; // null until the first record
    long openedNanos;
    volatile int records; // for the gauge, read without the lock
    boolean closed;
  }

  private final PayloadLogSettings settings;
  private final PayloadSink sink;
  private final ThreadLocal<Slot> slot;
  private final List<Slot> slots = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Finished> uploads;
  private final AtomicInteger queuedRecords = new AtomicInteger();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final PayloadLogMetrics metrics;
  private final Thread writer;
  private final String instance;
  private final AtomicLong objects = new AtomicLong();
  private volatile boolean closing;
  private boolean slotsClosed; // guarded by slots

  private PayloadLog() {
    settings = PayloadLogSettings.OFF;
    sink = null;
    slot = null;
    uploads = null;
    metrics = null;
    writer = null;
    instance = null;
  }

  /**
   * @param instance names this server in object names (the pod name), so replicas never collide
   */
  public PayloadLog(
      PayloadLogSettings settings, PayloadSink sink, MeterRegistry registry, String instance) {
    this.settings = settings;
    this.sink = sink;
    this.slot = ThreadLocal.withInitial(this::newSlot);
    this.uploads = new ConcurrentLinkedQueue<>();
    this.metrics = new PayloadLogMetrics(registry, this::waiting);
    this.instance =
        (instance == null || instance.isBlank() ? "server" : instance.strip())
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    this.writer = new Thread(this::run, "payload-log-writer");
    writer.setDaemon(true);
    writer.start();
  }

  private Slot newSlot() {
    Slot s = new Slot();
    synchronized (slots) {
      s.closed = slotsClosed; // a thread that first offers after close() has nothing to write
      slots.add(s);
    }
    return s;
  }

  /** Records accepted and not yet handed to the sink: open batches and the upload queue. */
  private int waiting() {
    int n = queuedRecords.get();
    for (Slot s : slots) {
      n += s.records;
    }
    return n;
  }

  public boolean enabled() {
    return writer != null;
  }

  /** Whether this request is in the sample; cheap enough for every request on the event loop. */
  public boolean sample() {
    if (writer == null || closing) {
      return false;
    }
    double rate = settings.sampleRate();
    return rate >= 1 || ThreadLocalRandom.current().nextDouble() < rate;
  }

  /**
   * Adds a record to this thread's batch (compressing it: well under a microsecond for a typical
   * /v1/predict exchange, about a fifth of what parsing the request cost); a batch that is full is
   * finished and queued, or dropped and counted when the upload queue is full. Never waits for the
   * writer or S3.
   */
  public void offer(PayloadRecord record) {
    if (writer == null) {
      return;
    }
    Slot s = slot.get();
    s.lock.lock();
    try {
      if (s.closed) {
        metrics.dropped.increment(); // offered after close() took this thread's batch
        return;
      }
      if (s.batch == null) {
        s.batch = new PayloadBatch();
        s.openedNanos = System.nanoTime();
      }
      s.batch.add(record);
      if (s.batch.records() >= settings.batchRecords() || s.batch.rawBytes() >= MAX_BATCH_BYTES) {
        PayloadBatch full = s.batch;
        s.batch = null;
        s.records = 0;
        // under the lock: close() takes this slot only after the batch is in the queue
        enqueue(full);
      } else {
        s.records = s.batch.records();
      }
    } catch (RuntimeException e) {
      // a record the batch refused (it writes nothing of it): the log goes on
      metrics.failed.increment();
      LOG.warn("could not log a sampled {} request: {}", record.route(), e.toString());
    } finally {
      s.lock.unlock();
    }
  }

  /** Finishes a batch taken from its slot and queues it for upload, or drops it when full. */
  private void enqueue(PayloadBatch batch) {
    int n = batch.records();
    byte[] zst = batch.finish(); // frees the compressor, also of a batch left empty
    if (n == 0) {
      return;
    }
    if (queuedRecords.addAndGet(n) > Math.max(settings.queueCapacity(), n)
        || queuedBytes.addAndGet(zst.length) > MAX_QUEUED_BYTES) {
      queuedRecords.addAndGet(-n);
      queuedBytes.addAndGet(-zst.length);
      metrics.dropped.increment(n);
      return;
    }
    uploads.offer(new Finished(batch.firstMillis(), n, zst));
  }

  private void run() {
    while (true) {
      boolean last = closing; // read first: whatever was offered before close is written
      Finished f = uploads.poll();
      if (f != null) {
        queuedRecords.addAndGet(-f.records());
        queuedBytes.addAndGet(-f.zst().length);
        write(f);
        continue;
      }
      if (last) {
        takeOpenBatches(true);
        for (Finished rest; (rest = uploads.poll()) != null; ) {
          queuedRecords.addAndGet(-rest.records());
          queuedBytes.addAndGet(-rest.zst().length);
          write(rest);
        }
        return;
      }
      takeOpenBatches(false);
      if (uploads.isEmpty()) {
        try {
          // a sleep, not a blocking poll: a waiting consumer would make every enqueue on an event
          // loop wake this thread; the queue holds what arrives meanwhile
          Thread.sleep(IDLE_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          closing = true;
        }
      }
    }
  }

  /**
   * Takes each open batch that is {@code flushInterval} old, or every one when closing; a thread
   * that ended will offer no more, so its batch is taken at once and its slot let go.
   */
  private void takeOpenBatches(boolean all) {
    if (all) {
      synchronized (slots) {
        slotsClosed = true;
      }
    }
    long now = System.nanoTime();
    long age = settings.flushInterval().toNanos();
    for (Slot s : slots) {
      PayloadBatch taken = null;
      Thread owner = s.owner.get();
      boolean ended = owner == null || !owner.isAlive();
      s.lock.lock();
      try {
        if (s.batch != null && (all || ended || now - s.openedNanos >= age)) {
          taken = s.batch;
          s.batch = null;
          s.records = 0;
        }
        s.closed |= all;
      } finally {
        s.lock.unlock();
      }
      if (taken != null) {
        enqueue(taken);
      }
      if (ended && !all) {
        slots.remove(s);
      }
    }
  }

  /** Threads with a slot (for tests). */
  int slotCount() {
    return slots.size();
  }

  private void write(Finished f) {
    String name =
        OBJECT_TIME.format(java.time.Instant.ofEpochMilli(f.firstMillis()))
            + "-"
            + instance
            + "-"
            + objects.incrementAndGet()
            + ".jsonl.zst";
    try {
      sink.write(name, f.zst());
      metrics.written.increment(f.records());
    } catch (Exception e) {
      metrics.failed.increment(f.records());
      LOG.warn("could not write {} sampled request(s) to {}: {}", f.records(), name, e.toString());
    }
  }

  /** Stops sampling and writes every open and queued batch, waiting up to {@code timeoutMillis}. */
  public void close(long timeoutMillis) {
    if (writer == null) {
      return;
    }
    closing = true;
    try {
      writer.join(timeoutMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      LOG.warn("payload log: {} record(s) not written at shutdown", waiting());
    }
    if (sink instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.debug("closing the payload sink: {}", e.toString());
      }
    }
  }

  @Override
  public void close() {
    close(30_000);
  }
}
