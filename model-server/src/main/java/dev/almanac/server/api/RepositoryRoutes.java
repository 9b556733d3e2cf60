package dev.almanac.server.api;

import dev.almanac.server.model.BadRequestException;
import dev.almanac.server.model.ModelLoadException;
import dev.almanac.server.model.ModelRepository;
import dev.almanac.server.model.ServedModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * KServe V2 model repository extension: {@code POST /v2/repository/models/{name}/load} (re)loads a
 * model, from the body's {@code uri} (or {@code parameters.uri}) or else from where it came from.
 */
final class RepositoryRoutes {
  private static final List<String> LOAD_FIELDS = List.of("uri", "parameters");
  private final ModelRepository models;

  RepositoryRoutes(ModelRepository models) {
    this.models = models;
  }

  void index(RoutingContext ctx) {
    JsonArray a = new JsonArray();
    for (ServedModel m : models.snapshot()) {
      a.add(new JsonObject().put("name", m.name()).put("version", m.version()).put("state", "READY").put("source", m.source()));
    }
    Replies.json(ctx, 200, new JsonObject().put("models", a));
  }

  void load(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    String uri = null;
    if (ctx.body().length() > 0) {
      JsonObject body = JsonFields.object(ctx.body().buffer());
      JsonFields.onlyKnown(body, LOAD_FIELDS);
      uri = JsonFields.string(body, "uri", false);
      Object p = body.getValue("parameters");
      if (p != null) {
        if (!(p instanceof JsonObject params)) {
          throw new BadRequestException("field 'parameters' must be an object, got " + JsonFields.kind(p));
        }
        String pu = JsonFields.string(params, "uri", false);
        if (uri != null && pu != null && !uri.equals(pu)) {
          throw new BadRequestException("fields 'uri' and 'parameters.uri' disagree");
        }
        uri = uri != null ? uri : pu;
      }
      if (uri != null && uri.isBlank()) {
        throw new BadRequestException("field 'uri' is blank");
      }
    }
    ServedModel current = models.peek(name).orElse(null);
    if (uri == null && current == null) {
      throw new Replies.NotFoundException("model '" + name + "' is not served and the body names no 'uri' to load it from",
          "models", models.names());
    }
    String source = uri != null ? uri : current.source();
    String previous = current == null ? null : current.version();
    ctx.vertx().<ServedModel>executeBlocking(() -> models.load(source, name), false).onComplete(ar -> {
      if (ar.failed()) {
        Throwable c = ar.cause();
        String msg = c instanceof ModelLoadException ? c.getMessage() : "cannot load " + source + ": " + c;
        Replies.json(ctx, 400, new JsonObject().put("error", msg + (current == null ? "" : "; still serving version " + current.version())));
        return;
      }
      ServedModel m = ar.result();
      Replies.labels(ctx, m);
      Replies.json(ctx, 200, new JsonObject().put("name", m.name()).put("version", m.version()).put("previousVersion", previous)
          .put("source", m.source()));
    });
  }
}
