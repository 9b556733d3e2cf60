package dev.almanac.server.monitoring;

import io.vertx.core.json.JsonObject;

/**
 * One logged request and its reply. Built on the event loop from objects the route already has;
 * encoded to JSON only on the writer thread.
 *
 * @param timeMillis when the reply was sent (epoch milliseconds)
 * @param route the route template ({@code /v1/predict})
 */
public record PayloadRecord(
    long timeMillis,
    String route,
    String model,
    String version,
    int status,
    JsonObject request,
    JsonObject response) {

  /** One JSON line (no trailing newline). */
  String toJsonLine() {
    return new JsonObject()
        .put("time", java.time.Instant.ofEpochMilli(timeMillis).toString())
        .put("route", route)
        .put("model", model)
        .put("version", version)
        .put("status", status)
        .put("request", request)
        .put("response", response)
        .encode();
  }
}
