package dev.almanac.server.api;

import dev.almanac.server.model.BadRequestException;
import dev.almanac.server.model.ModelRepository;
import dev.almanac.server.model.ServedModel;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** JSON replies, errors as {@code {"error": "..."}}, and the labels the request metrics read. */
final class Replies {
  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);
  static final String MODEL = "almanac.model";
  static final String VERSION = "almanac.version";

  private Replies() {}

  // header names and values encoded once, not per reply
  static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  static final CharSequence OCTET_STREAM = HttpHeaders.createOptimized("application/octet-stream");

  static void json(RoutingContext ctx, int status, JsonObject body) {
    send(ctx, status, JSON, body.toBuffer(), null, null);
  }

  /**
   * Any reply, with at most one extra header, unless the response already ended or the client went
   * away.
   */
  static void send(
      RoutingContext ctx,
      int status,
      CharSequence contentType,
      Buffer body,
      CharSequence header,
      CharSequence value) {
    HttpServerResponse r = ctx.response();
    if (r.ended() || r.closed()) {
      return;
    }
    if (status != 200) {
      r.setStatusCode(status); // 200 is the default; setting it costs a status lookup per reply
    }
    r.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    if (header != null) {
      r.putHeader(header, value);
    }
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
      error(
          ctx,
          500,
          "internal error: "
              + c.getClass().getSimpleName()
              + (c.getMessage() == null ? "" : ": " + c.getMessage()));
    }
  }

  /** Where a request was read: its context and that context's event-loop thread. */
  record Origin(Context context, Thread thread) {
    static Origin here() {
      return new Origin(Vertx.currentContext(), Thread.currentThread());
    }
  }

  /**
   * Runs {@code reply} on the request's event loop: at once when already on its thread (a batch
   * this loop flushed runs under the context of its first request, not of each one), else queued to
   * it.
   */
  static void onContext(Origin origin, Runnable reply) {
    if (Thread.currentThread() == origin.thread()) {
      reply.run();
    } else {
      origin.context().runOnContext(v -> reply.run());
    }
  }

  /**
   * When a model call completes: releases the model, then on the request's event loop answers a
   * failure or hands the result to {@code reply}.
   */
  static <T> void whenCalled(
      RoutingContext ctx,
      ServedModel m,
      java.util.concurrent.CompletableFuture<T> call,
      java.util.function.Consumer<T> reply) {
    Origin origin = Origin.here();
    call.whenComplete(
        (result, err) -> {
          m.release();
          onContext(
              origin,
              () -> {
                if (err != null) {
                  failure(ctx, err);
                } else {
                  reply.accept(result);
                }
              });
        });
  }

  static void labels(RoutingContext ctx, ServedModel m) {
    ctx.put(MODEL, m.name());
    ctx.put(VERSION, m.version());
  }

  /** 404 for a model name nothing serves, listing the served ones. */
  static NotFoundException notServed(String name, ModelRepository models) {
    return new NotFoundException("model '" + name + "' is not served", "models", models.names());
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
