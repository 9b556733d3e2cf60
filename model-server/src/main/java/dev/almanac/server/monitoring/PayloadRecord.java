package dev.almanac.server.monitoring;

/**
 * One logged request and its reply, as bytes the route already has: the request body as received (a
 * JSON object the route has parsed and accepted) and the reply as sent (encoded once, for the
 * client). The line is assembled on the writer thread ({@link PayloadBatch}).
 *
 * @param timeMillis when the reply was sent (epoch milliseconds)
 * @param route the route template ({@code /v1/predict})
 * @param request the request body: one JSON object, UTF-8
 * @param response the reply body: one JSON object, UTF-8
 */
public record PayloadRecord(
    long timeMillis,
    String route,
    String model,
    String version,
    int status,
    byte[] request,
    byte[] response) {

  public PayloadRecord {
    // checked here, on the route that builds it, not later on the writer
    java.util.Objects.requireNonNull(request, "request");
    java.util.Objects.requireNonNull(response, "response");
  }

  /** What the record holds in memory, for the queue's byte bound. */
  int size() {
    return request.length + response.length + 64;
  }
}
