package dev.almanac.server.monitoring;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.vertx.core.json.JsonObject;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * One object of the payload log being filled, by one thread at a time (its request thread, or the
 * writer that takes it when it is due): records become JSON lines compressed as they arrive
 * (Zstandard, level 1), so a batch holds compressed bytes only. Request logs repeat field names,
 * class names and descriptions on every line, and zstd's window spans many lines: on the
 * benchmark's /v1/predict exchanges it wrote ~16 bytes per 1.7 KB record for ~0.7 µs of CPU, where
 * gzip -1 took ~10 µs for ~315 bytes (benchmarks/RESULTS.md). Small objects matter too: the S3
 * server, often on the same machine, spends CPU per byte received.
 *
 * <p>A line is {@code {"route":…,"model":…,"version":…,"time":"…","status":200,"request":{…},
 * "response":{…}}}. The route, model and version are encoded once per batch with Jackson; the
 * request and reply go in as the bytes that were received and sent. The reply is Jackson's compact
 * output (no line breaks). The request is a JSON object the server parsed, in which a raw CR or LF
 * can only be whitespace between tokens (JSON strings escape them), so they become spaces to keep
 * one record per line.
 */
final class PayloadBatch {
  private static final byte[] TIME = bytes("\"time\":\"");
  private static final byte[] STATUS = bytes("\",\"status\":");
  private static final byte[] REQUEST = bytes(",\"request\":");
  private static final byte[] RESPONSE = bytes(",\"response\":");

  private final ByteArrayOutputStream compressed;
  // each write into the compressor is a native call: a line's pieces are gathered here and
  // compressed 64 KB at a time
  private final BufferedOutputStream lines;
  private String headRoute;
  private String headModel;
  private String headVersion;
  private byte[] head;
  // ISO-8601 formatting costs microseconds: it runs once a second, the milliseconds are appended
  private long second = Long.MIN_VALUE;
  private byte[] secondText;
  private int records;
  private long rawBytes;
  private long firstMillis;

  PayloadBatch() {
    compressed = new ByteArrayOutputStream(64 * 1024);
    try {
      lines = new BufferedOutputStream(new ZstdOutputStreamNoFinalizer(compressed, 1), 64 * 1024);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void add(PayloadRecord r) {
    if (records == 0) {
      firstMillis = r.timeMillis();
    }
    // everything that can refuse a record comes before its first byte: a line is written whole
    byte[] head = head(r);
    byte[] request = oneLine(r.request());
    try {
      lines.write(head);
      lines.write(TIME);
      writeTime(r.timeMillis());
      lines.write(STATUS);
      lines.write(bytes(Integer.toString(r.status())));
      lines.write(REQUEST);
      lines.write(request);
      lines.write(RESPONSE);
      lines.write(r.response());
      lines.write('}');
      lines.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    records++;
    rawBytes += r.size();
  }

  int records() {
    return records;
  }

  /** Uncompressed bytes so far, to bound a batch of large requests. */
  long rawBytes() {
    return rawBytes;
  }

  long firstMillis() {
    return firstMillis;
  }

  /**
   * The finished zstd object (one frame); frees the compressor's native memory, so every batch ends
   * here. The batch takes no more records.
   */
  byte[] finish() {
    try {
      lines.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return compressed.toByteArray();
  }

  /** {@code 2026-12-07T15:00:00.123Z}: ISO-8601 in UTC, always with milliseconds. */
  private void writeTime(long millis) throws IOException {
    long s = Math.floorDiv(millis, 1000);
    int ms = (int) Math.floorMod(millis, 1000);
    if (s != second) {
      String whole = Instant.ofEpochSecond(s).toString(); // ends in "Z", no fraction
      secondText = bytes(whole.substring(0, whole.length() - 1) + ".");
      second = s;
    }
    lines.write(secondText);
    lines.write('0' + ms / 100);
    lines.write('0' + ms / 10 % 10);
    lines.write('0' + ms % 10);
    lines.write('Z');
  }

  /** {@code {"route":…,"model":…,"version":…,} for the record's model, kept while it repeats. */
  private byte[] head(PayloadRecord r) {
    if (head == null
        || !Objects.equals(r.route(), headRoute)
        || !Objects.equals(r.model(), headModel)
        || !Objects.equals(r.version(), headVersion)) {
      String json =
          new JsonObject()
              .put("route", r.route())
              .put("model", r.model())
              .put("version", r.version())
              .encode();
      head = bytes(json.substring(0, json.length() - 1) + ",");
      headRoute = r.route();
      headModel = r.model();
      headVersion = r.version();
    }
    return head;
  }

  private static byte[] oneLine(byte[] json) {
    byte[] out = json;
    for (int i = 0; i < json.length; i++) {
      if (json[i] == '\n' || json[i] == '\r') {
        if (out == json) {
          out = json.clone();
        }
        out[i] = ' ';
      }
    }
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
