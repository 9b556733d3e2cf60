package dev.almanac.server.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.almanac.testbed.Timeouts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The payload log's queue, batching, drops and shutdown flush, with an in-memory sink. */
class PayloadLogTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Map<String, String> objects = new ConcurrentHashMap<>();

  private final PayloadSink memory = (name, bytes) -> objects.put(name, unzstd(bytes));

  static String unzstd(byte[] zst) throws java.io.IOException {
    try (var in =
        new com.github.luben.zstd.ZstdInputStream(new java.io.ByteArrayInputStream(zst))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static PayloadRecord record(int i) {
    return new PayloadRecord(
        1_765_000_000_000L + i,
        "/v1/predict",
        "disease",
        "3",
        200,
        // as a client may send it: pretty-printed, over several lines
        new JsonObject()
            .put("symptoms", new JsonArray().add("itching"))
            .put("topK", 3)
            .encodePrettily()
            .getBytes(StandardCharsets.UTF_8),
        new JsonObject().put("i", i).toBuffer().getBytes());
  }

  private PayloadLog log(
      double rate, int queue, int batch, Duration flush, PayloadSink sink, String pod) {
    return new PayloadLog(
        new PayloadLogSettings("s3://b/p", rate, queue, batch, flush), sink, registry, pod);
  }

  private double counter(String name) {
    return registry.get(name).counter().count();
  }

  @Test
  void writesFullBatchesAsJsonLinesAndTheRestOnClose() {
    var log = log(1.0, 100, 4, Duration.ofHours(1), memory, "pod-a");
    for (int i = 0; i < 10; i++) {
      assertThat(log.sample()).isTrue();
      log.offer(record(i));
    }
    // two full batches of 4 go out without waiting for the hour-long flush interval
    await().atMost(Timeouts.seconds(10)).until(() -> objects.size() == 2);
    log.close();
    assertThat(objects).hasSize(3);
    assertThat(objects.keySet())
        .allMatch(k -> k.matches("\\d{4}/\\d{2}/\\d{2}/\\d{6}-pod-a-.*\\.jsonl\\.zst"));
    List<JsonObject> lines =
        objects.values().stream()
            .flatMap(s -> s.lines())
            .map(JsonObject::new)
            .sorted(
                (a, b) ->
                    Integer.compare(
                        a.getJsonObject("response").getInteger("i"),
                        b.getJsonObject("response").getInteger("i")))
            .toList();
    assertThat(lines).hasSize(10);
    assertThat(lines.get(0).getString("route")).isEqualTo("/v1/predict");
    assertThat(lines.get(0).getString("model")).isEqualTo("disease");
    assertThat(lines.get(0).getJsonObject("request").getJsonArray("symptoms").getString(0))
        .isEqualTo("itching");
    assertThat(lines.get(9).getJsonObject("response").getInteger("i")).isEqualTo(9);
    for (int i = 0; i < 10; i++) {
      assertThat(java.time.Instant.parse(lines.get(i).getString("time")).toEpochMilli())
          .isEqualTo(1_765_000_000_000L + i);
    }
    assertThat(counter("almanac.server.payload.log.written")).isEqualTo(10);
    assertThat(counter("almanac.server.payload.log.dropped")).isZero();
    assertThat(log.sample()).as("no sampling after close").isFalse();
  }

  /**
   * A log of one-record batches whose upload waits for {@code release}, its writer already holding
   * {@code first} in that upload: the queue is empty and fills from here.
   */
  private PayloadLog stuckWriter(int queueCapacity, PayloadRecord first, CountDownLatch release) {
    PayloadSink stuck =
        (name, bytes) -> {
          release.await();
          memory.write(name, bytes);
        };
    var log = log(1.0, queueCapacity, 1, Duration.ofHours(1), stuck, "pod-b");
    log.offer(first);
    await()
        .atMost(Timeouts.seconds(10))
        .until(() -> registry.get("almanac.server.payload.log.queued").gauge().value() == 0);
    return log;
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
    var release = new CountDownLatch(1);
    // the writer holds record 0 in its stuck upload; the queue takes 3 more, the rest drop
    var log = stuckWriter(3, record(0), release);
    long t0 = System.nanoTime();
    for (int i = 1; i <= 10; i++) {
      log.offer(record(i));
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    assertThat(counter("almanac.server.payload.log.dropped")).isEqualTo(7);
    release.countDown();
    log.close();
    assertThat(counter("almanac.server.payload.log.written")).isEqualTo(4);
  }

  @Test
  void largeRequestsFillTheQueueByBytesNotOnlyByCount() throws Exception {
    // random text: it stays large compressed, and the queue holds compressed batches
    byte[] random = new byte[(10 << 20) * 3 / 4];
    new java.util.Random(7).nextBytes(random);
    byte[] tenMiB =
        ("{\"history\":\"" + java.util.Base64.getEncoder().encodeToString(random) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] reply = "{}".getBytes(StandardCharsets.UTF_8);
    var big = new PayloadRecord(0, "/v1/forecast", "covid", "1", 200, tenMiB, reply);
    PayloadBatch one = new PayloadBatch();
    one.add(big);
    long compressed = one.finish().length;
    long fits = PayloadLog.MAX_QUEUED_BYTES / compressed;
    assertThat(fits).as("the test needs a queue that fills before 10 records").isBetween(2L, 9L);
    var release = new CountDownLatch(1);
    var log = stuckWriter(1_000, big, release);
    for (int i = 0; i < 10; i++) {
      log.offer(big);
    }
    // 64 MiB hold `fits` of them although the queue has room for 1000 records
    assertThat(counter("almanac.server.payload.log.dropped")).isEqualTo(10 - fits);
    release.countDown();
    log.close();
    assertThat(counter("almanac.server.payload.log.written")).isEqualTo(1 + fits);
    assertThat(objects.values()).allMatch(line -> line.length() > 10 << 20);
  }

  @Test
  void aThreadThatEndedHasItsRecordsWrittenAndItsSlotLetGo() throws Exception {
    // an hour-long flush interval: only the end of the thread can send its partial batch
    var log = log(1.0, 100, 1_000, Duration.ofHours(1), memory, "pod-g");
    var worker =
        new Thread(
            () -> {
              for (int i = 0; i < 3; i++) {
                log.offer(record(i));
              }
            });
    worker.start();
    worker.join();
    await().atMost(Timeouts.seconds(10)).until(() -> objects.size() == 1);
    assertThat(objects.values().iterator().next().lines()).hasSize(3);
    await().atMost(Timeouts.seconds(10)).until(() -> log.slotCount() == 0);
    log.close();
  }

  @Test
  void eachThreadFillsItsOwnBatchesAndAnOldPartialBatchIsWritten() throws Exception {
    var log = log(1.0, 100, 5, Duration.ofMillis(200), memory, "pod-f");
    Thread[] threads = new Thread[3];
    for (int t = 0; t < threads.length; t++) {
      int base = t * 100;
      threads[t] =
          new Thread(
              () -> {
                for (int i = 0; i < 7; i++) {
                  log.offer(record(base + i));
                }
              });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    // per thread: one full batch of 5 at once, the other 2 once their batch is 200 ms old
    await().atMost(Timeouts.seconds(10)).until(() -> objects.size() == 6);
    assertThat(objects.values().stream().mapToLong(o -> o.lines().count()).sorted().toArray())
        .containsExactly(2, 2, 2, 5, 5, 5);
    assertThat(registry.get("almanac.server.payload.log.queued").gauge().value()).isZero();
    log.close();
    assertThat(counter("almanac.server.payload.log.written")).isEqualTo(21);
    assertThat(objects).hasSize(6);
  }

  @Test
  void aRecordWithoutAVersionIsLoggedAndTheWriterGoesOn() {
    var log = log(1.0, 100, 3, Duration.ofHours(1), memory, "pod-e");
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    log.offer(new PayloadRecord(1, "/v1/predict", "disease", null, 200, body, body));
    log.offer(new PayloadRecord(2, "/v1/predict", "disease", "3", 200, body, body));
    log.offer(new PayloadRecord(3, "/v1/predict", "disease", null, 200, body, body));
    log.close();
    List<JsonObject> lines =
        objects.values().stream().flatMap(String::lines).map(JsonObject::new).toList();
    assertThat(lines).extracting(l -> l.getString("version")).containsExactly(null, "3", null);
    assertThat(counter("almanac.server.payload.log.written")).isEqualTo(3);
  }

  @Test
  void aRecordWithoutItsBodiesIsRefusedWhereItIsBuilt() {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new PayloadRecord(1, "/v1/predict", "disease", "3", 200, null, body))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("request");
  }

  @Test
  void aFailedUploadCountsItsRecordsAndTheWriterGoesOn() {
    PayloadSink failing =
        (name, bytes) -> {
          if (objects.isEmpty() && !objects.containsKey("failed-once")) {
            objects.put("failed-once", "");
            throw new java.io.IOException("S3 said no");
          }
          memory.write(name, bytes);
        };
    var log = log(1.0, 100, 2, Duration.ofHours(1), failing, "pod-c");
    for (int i = 0; i < 4; i++) {
      log.offer(record(i));
    }
    log.close();
    assertThat(counter("almanac.server.payload.log.failed")).isEqualTo(2);
    assertThat(counter("almanac.server.payload.log.written")).isEqualTo(2);
  }

  @Test
  void theQueuedGaugeSurvivesAGarbageCollection() {
    var log = log(1.0, 100, 10, Duration.ofHours(1), memory, "pod-g");
    log.offer(record(1)); // waits in this thread's open batch
    for (int i = 0; i < 3; i++) {
      System.gc(); // a gauge holds its object weakly: without a strong reference it reads NaN now
    }
    assertThat(registry.get("almanac.server.payload.log.queued").gauge().value()).isEqualTo(1.0);
    log.close();
    assertThat(counter("almanac.server.payload.log.written")).isEqualTo(1);
  }

  @Test
  void samplesAboutTheConfiguredFraction() {
    var log = log(0.1, 10, 1, Duration.ofHours(1), memory, null);
    int sampled = 0;
    for (int i = 0; i < 20_000; i++) {
      sampled += log.sample() ? 1 : 0;
    }
    log.close();
    assertThat(sampled).isBetween(1_600, 2_400);
    assertThat(PayloadLog.OFF.sample()).isFalse();
  }

  @Test
  void settingsFromTheEnvironmentNameTheBadVariable() {
    assertThat(PayloadLogSettings.fromEnv(Map.of()).enabled()).isFalse();
    var s =
        PayloadLogSettings.fromEnv(
            Map.of(
                PayloadLogSettings.URI, "s3://logs/disease/",
                PayloadLogSettings.SAMPLE_RATE, "0.25"));
    assertThat(s.uri()).isEqualTo("s3://logs/disease");
    assertThat(s.sampleRate()).isEqualTo(0.25);
    assertThat(s.enabled()).isTrue();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                PayloadLogSettings.fromEnv(
                    Map.of(
                        PayloadLogSettings.URI, "s3://logs/x",
                        PayloadLogSettings.SAMPLE_RATE, "1.5")))
        .hasMessageContaining(PayloadLogSettings.SAMPLE_RATE);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> PayloadLogSettings.fromEnv(Map.of(PayloadLogSettings.URI, "/tmp/x")))
        .hasMessageContaining("s3://bucket/prefix");
  }
}
