package dev.almanac.server.api;

import dev.almanac.server.metrics.ServerMetrics;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Prometheus metrics, the OpenAPI document, Swagger UI and the dashboard page. */
final class DocsRoutes {
  private final ServerMetrics metrics;
  private final Buffer openapi = resource("web/openapi.json");
  private final Buffer swagger = resource("web/docs.html");
  private final Buffer dashboard = resource("web/index.html");

  DocsRoutes(ServerMetrics metrics) {
    this.metrics = metrics;
  }

  void metrics(RoutingContext ctx) {
    String text = metrics.scrape();
    ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(text);
  }

  void openapi(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "application/json").end(openapi);
  }

  void swagger(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "text/html; charset=utf-8").end(swagger);
  }

  void dashboard(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "text/html; charset=utf-8").end(dashboard);
  }

  private static Buffer resource(String path) {
    try (InputStream in = DocsRoutes.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("resource " + path + " is missing from the jar");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
