package dev.almanac.server.monitoring;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One logged request and its reply. Built on the event loop from what the route already has: the
 * request's fields and the reply's bytes as sent (encoded once, for the client); the line is
 * assembled on the writer thread.
 *
 * @param timeMillis when the reply was sent (epoch milliseconds)
 * @param route the route template ({@code /v1/predict})
 * @param response the reply body as sent: one JSON object, UTF-8
 */
public record PayloadRecord(
    long timeMillis,
    String route,
    String model,
    String version,
    int status,
    JsonObject request,
    byte[] response) {

  /** Appends this record as one JSON line (newline-terminated) to {@code out}. */
  void writeTo(ByteArrayOutputStream out) {
    String head =
        new JsonObject()
            .put("time", java.time.Instant.ofEpochMilli(timeMillis).toString())
            .put("route", route)
            .put("model", model)
            .put("version", version)
            .put("status", status)
            .put("request", request)
            .encode();
    // the reply is already JSON: it goes in as it was sent rather than parsed and encoded again
    out.writeBytes(head.substring(0, head.length() - 1).getBytes(StandardCharsets.UTF_8));
    out.writeBytes(",\"response\":".getBytes(StandardCharsets.UTF_8));
    out.writeBytes(response);
    out.write('}');
    out.write('\n');
  }
}
