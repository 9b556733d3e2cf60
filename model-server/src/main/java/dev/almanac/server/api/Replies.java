package dev.almanac.server.api;

import dev.almanac.server.model.BadRequestException;
import dev.almanac.server.model.ServedModel;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** JSON replies, errors as {@code {"error": "..."}}, and the labels the request metrics read. */
final class Replies {
  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);
  static final String MODEL = "almanac.model";
  static final String VERSION = "almanac.version";

  private Replies() {}

  static void json(RoutingContext ctx, int status, JsonObject body) {
    send(ctx, status, "application/json", body.toBuffer(), Map.of());
  }

  /** Any reply, unless the response already ended or the client went away. */
  static void send(RoutingContext ctx, int status, String contentType, Buffer body, Map<String, String> headers) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    var r = ctx.response().setStatusCode(status).putHeader("content-type", contentType);
    headers.forEach(r::putHeader);
    r.end(body);
  }

  static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("error", message));
  }

  static void error(RoutingContext ctx, int status, JsonObject body) {
    json(ctx, status, body);
  }

  /** Bad input → its 4xx; anything else is our fault → 500, logged. */
  static void failure(RoutingContext ctx, Throwable t) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (c instanceof BadRequestException b) {
      error(ctx, b.status(), b.getMessage());
    } else if (c instanceof NotFoundException n) {
      error(ctx, 404, n.body());
    } else {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), c);
      error(ctx, 500, "internal error: " + c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage()));
    }
  }

  /**
   * Runs {@code reply} on the request's event loop: at once when already there (the caller ran the
   * batch itself), else queued to it (another caller ran the batch that held this request).
   */
  static void onContext(Context context, Runnable reply) {
    if (Vertx.currentContext() == context) {
      reply.run();
    } else {
      context.runOnContext(v -> reply.run());
    }
  }

  static void labels(RoutingContext ctx, ServedModel m) {
    ctx.put(MODEL, m.name());
    ctx.put(VERSION, m.version());
  }

  /** 404 with a machine-readable body (e.g. the known series or models). */
  static final class NotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient JsonObject body;

    NotFoundException(String message, String listName, Iterable<String> known) {
      super(message, null, false, false);
      io.vertx.core.json.JsonArray a = new io.vertx.core.json.JsonArray();
      known.forEach(a::add);
      this.body = new JsonObject().put("error", message).put(listName, a);
    }

    JsonObject body() {
      return body;
    }
  }
}
