package dev.almanac.server.monitoring;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sampled request logging. A route asks {@link #sample()} and hands a {@link PayloadRecord} to
 * {@link #offer}, which never blocks: a full bounded queue (by records, and by bytes so large
 * requests cannot fill the heap) drops the record and counts it. One writer thread compresses
 * records into a {@link PayloadBatch} and writes it as one object when it holds {@code
 * batchRecords} records or {@link #MAX_BATCH_BYTES}, or is {@code flushInterval} old; {@link
 * #close()} writes what is left.
 */
public final class PayloadLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PayloadLog.class);
  private static final DateTimeFormatter OBJECT_TIME =
      DateTimeFormatter.ofPattern("yyyy/MM/dd/HHmmss").withZone(ZoneOffset.UTC);

  /** Queued records hold at most this many bytes; more are dropped. */
  static final long MAX_QUEUED_BYTES = 64L << 20;

  /** A batch is written once its records reach this many (uncompressed) bytes. */
  static final long MAX_BATCH_BYTES = 64L << 20;

  /** Records the writer takes from the queue before it looks at the batch again. */
  private static final int DRAIN = 256;

  /** How long the writer sleeps when the queue is empty. */
  private static final long IDLE_MILLIS = 10;

  /** Logs nothing. */
  public static final PayloadLog OFF = new PayloadLog();

  private final PayloadLogSettings settings;
  private final PayloadSink sink;
  // lock-free: two event loops offering into a locked queue that the writer drains contend for its
  // lock (parking, a futex call); the bounds are kept by the two counters
  private final ConcurrentLinkedQueue<PayloadRecord> queue;
  private final AtomicInteger queued = new AtomicInteger();
  private final PayloadLogMetrics metrics;
  private final Thread writer;
  private final String instance;
  private final AtomicLong objects = new AtomicLong();
  private final AtomicLong queuedBytes = new AtomicLong();
  private volatile boolean closing;

  private PayloadLog() {
    settings = PayloadLogSettings.OFF;
    sink = null;
    queue = null;
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
    this.queue = new ConcurrentLinkedQueue<>();
    this.metrics = new PayloadLogMetrics(registry, queued::get);
    this.instance =
        (instance == null || instance.isBlank() ? "server" : instance.strip())
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    this.writer = new Thread(this::run, "payload-log-writer");
    writer.setDaemon(true);
    writer.start();
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

  /** Queues a record for the writer, or drops and counts it when the queue is full. */
  public void offer(PayloadRecord record) {
    if (writer == null) {
      return;
    }
    if (queued.incrementAndGet() > settings.queueCapacity()) {
      queued.decrementAndGet();
      metrics.dropped.increment();
      return;
    }
    int size = record.size();
    if (queuedBytes.addAndGet(size) > MAX_QUEUED_BYTES) {
      queuedBytes.addAndGet(-size);
      queued.decrementAndGet();
      metrics.dropped.increment();
      return;
    }
    queue.offer(record);
  }

  private void run() {
    List<PayloadRecord> taken = new ArrayList<>(DRAIN);
    PayloadBatch batch = new PayloadBatch();
    long flushAt = System.nanoTime() + settings.flushInterval().toNanos();
    while (true) {
      boolean last = closing; // read before draining: whatever was queued before close is written
      int room = Math.min(DRAIN, settings.batchRecords() - batch.records());
      for (PayloadRecord r; taken.size() < room && (r = queue.poll()) != null; ) {
        taken.add(r);
      }
      long bytes = 0;
      for (PayloadRecord r : taken) {
        bytes += r.size();
        try {
          batch.add(r);
        } catch (RuntimeException e) {
          // one bad record must not end the writer (logging would stop, silently, for good)
          metrics.failed.increment();
          LOG.warn("could not log a sampled {} request: {}", r.route(), e.toString());
        }
      }
      queued.addAndGet(-taken.size());
      queuedBytes.addAndGet(-bytes);
      boolean idle = taken.isEmpty();
      taken.clear();
      boolean full =
          batch.records() >= settings.batchRecords() || batch.rawBytes() >= MAX_BATCH_BYTES;
      boolean due = System.nanoTime() >= flushAt;
      if (batch.records() > 0 && (full || due || last)) {
        write(batch);
        batch = new PayloadBatch();
      }
      if (full || due) {
        flushAt = System.nanoTime() + settings.flushInterval().toNanos();
      }
      if (last && queue.isEmpty() && batch.records() == 0) {
        batch.finish();
        return;
      }
      if (idle && !last) {
        try {
          // a sleep, not a blocking poll: a waiting consumer would make every offer on an event
          // loop wake this thread (a futex call per request); the queue holds what arrives
          // meanwhile
          Thread.sleep(IDLE_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          closing = true;
        }
      }
    }
  }

  private void write(PayloadBatch batch) {
    String name =
        OBJECT_TIME.format(java.time.Instant.ofEpochMilli(batch.firstMillis()))
            + "-"
            + instance
            + "-"
            + objects.incrementAndGet()
            + ".jsonl.zst";
    int n = batch.records();
    try {
      sink.write(name, batch.finish());
      metrics.written.increment(n);
    } catch (Exception e) {
      metrics.failed.increment(n);
      LOG.warn("could not write {} sampled request(s) to {}: {}", n, name, e.toString());
    }
  }

  /** Stops sampling and writes every queued record, waiting up to {@code timeoutMillis}. */
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
      LOG.warn("payload log: {} record(s) not written at shutdown", queued.get());
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
