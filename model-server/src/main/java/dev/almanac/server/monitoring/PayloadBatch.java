package dev.almanac.server.monitoring;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * One object of the payload log being filled: records become JSON lines compressed as they arrive
 * (gzip, fastest level), so a batch holds compressed bytes only. Compression pays twice: request
 * logs repeat field and class names on every line (about 10x smaller), and the S3 server, often on
 * the same machine, spends CPU per byte received.
 *
 * <p>A line is {@code {"route":…,"model":…,"version":…,"time":"…","status":200,"request":{…},
 * "response":{…}}}. The route, model and version are encoded once per batch with Jackson; the
 * request and reply go in as the bytes that were received and sent. Both are JSON objects the
 * server parsed or wrote, in which a raw CR or LF can only be whitespace between tokens (JSON
 * strings escape them), so they become spaces to keep one record per line.
 */
final class PayloadBatch {
  private static final byte[] TIME = bytes("\"time\":\"");
  private static final byte[] STATUS = bytes("\",\"status\":");
  private static final byte[] REQUEST = bytes(",\"request\":");
  private static final byte[] RESPONSE = bytes(",\"response\":");

  private final ByteArrayOutputStream compressed;
  private final GZIPOutputStream gzip;
  private String headRoute;
  private String headModel;
  private String headVersion;
  private byte[] head;
  private int records;
  private long rawBytes;
  private long firstMillis;

  PayloadBatch(int expectedBytes) {
    compressed = new ByteArrayOutputStream(Math.max(1024, expectedBytes));
    try {
      gzip =
          new GZIPOutputStream(compressed, 64 * 1024) {
            {
              def.setLevel(Deflater.BEST_SPEED);
            }
          };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void add(PayloadRecord r) {
    if (records == 0) {
      firstMillis = r.timeMillis();
    }
    try {
      gzip.write(head(r));
      gzip.write(TIME);
      gzip.write(bytes(Instant.ofEpochMilli(r.timeMillis()).toString()));
      gzip.write(STATUS);
      gzip.write(bytes(Integer.toString(r.status())));
      gzip.write(REQUEST);
      gzip.write(oneLine(r.request()));
      gzip.write(RESPONSE);
      gzip.write(oneLine(r.response()));
      gzip.write('}');
      gzip.write('\n');
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

  /** The finished gzip object. The batch takes no more records. */
  byte[] finish() {
    try {
      gzip.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return compressed.toByteArray();
  }

  /** {@code {"route":…,"model":…,"version":…,} for the record's model, kept while it repeats. */
  private byte[] head(PayloadRecord r) {
    if (head == null
        || !r.route().equals(headRoute)
        || !r.model().equals(headModel)
        || !r.version().equals(headVersion)) {
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
