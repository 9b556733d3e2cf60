package dev.almanac.server.api;

import dev.almanac.registry.ModelUri;
import dev.almanac.server.model.BadRequestException;
import dev.almanac.server.model.ModelLoadException;
import dev.almanac.server.model.ModelRepository;
import dev.almanac.server.model.ServedModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.List;

/**
 * KServe V2 model repository extension, on the admin port: {@code POST
 * /v2/repository/models/{name}/load} (re)loads a model, from the body's {@code uri} (or {@code
 * parameters.uri}) or else from where it came from. A {@code uri} must name a version in the
 * server's own registry ({@code models:/...}): a token holder cannot make the server fetch from an
 * arbitrary path or host.
 */
final class RepositoryRoutes {
  private static final List<String> LOAD_FIELDS = List.of("uri", "parameters");
  private static final String REGISTRY_URI = "models:/";
  private final ModelRepository models;

  RepositoryRoutes(ModelRepository models) {
    this.models = models;
  }

  /**
   * The body's {@code uri} or {@code parameters.uri} (other parameters are ignored); null for
   * neither.
   */
  private static String uri(JsonBody body) throws IOException {
    String uri = null;
    String parametersUri = null;
    JsonBody.Fields fields = body.fields("", LOAD_FIELDS);
    for (String f; (f = fields.next()) != null; ) {
      if (f.equals("uri")) {
        uri = body.string("", "uri");
      } else if (body.object("", "parameters")) {
        for (String p; (p = body.nextField()) != null; ) {
          if (p.equals("uri")) {
            parametersUri = body.string("", "parameters.uri");
          } else {
            body.skip();
          }
        }
      }
    }
    if (uri != null && parametersUri != null && !uri.equals(parametersUri)) {
      throw new BadRequestException("fields 'uri' and 'parameters.uri' disagree");
    }
    uri = uri != null ? uri : parametersUri;
    if (uri != null && uri.isBlank()) {
      throw new BadRequestException("field 'uri' is blank");
    }
    if (uri != null && !uri.startsWith(REGISTRY_URI)) {
      throw new BadRequestException(
          "field 'uri' must be a models:/ URI of the server's registry (models:/name/version or "
              + "models:/name@alias), got '"
              + shortened(uri)
              + "'");
    }
    if (uri != null) {
      // models://<profile>/... would name another registry; MLflow's parser refuses it and any
      // other shape that is not name/version, name/stage or name@alias
      ModelUri parsed;
      try {
        parsed = ModelUri.parse(uri);
      } catch (IllegalArgumentException e) {
        throw new BadRequestException(
            "field 'uri': " + shortened(e.getMessage()) + " (of the server's own registry)");
      }
      requireSafeName("field 'uri'", parsed.name());
    }
    return uri;
  }

  /**
   * A model name must not walk paths (it names cache directories and metric labels): no {@code
   * .}/{@code ..}, separators or control characters.
   */
  static void requireSafeName(String what, String name) {
    boolean unsafe =
        name.isEmpty()
            || name.length() > 256
            || name.equals(".")
            || name.equals("..")
            || name.contains("/")
            || name.contains("\\")
            || !name.strip().equals(name)
            || name.chars().anyMatch(Character::isISOControl);
    if (unsafe) {
      throw new BadRequestException(
          what
              + ": '"
              + shortened(name.replaceAll("\\p{Cntrl}", "?"))
              + "' is not a model name (no '.', '..', '/', '\\', control characters or outer "
              + "blanks)");
    }
  }

  private static String shortened(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }

  void index(RoutingContext ctx) {
    JsonArray a = new JsonArray();
    for (ServedModel m : models.snapshot()) {
      a.add(
          new JsonObject()
              .put("name", m.name())
              .put("version", m.version())
              .put("state", "READY")
              .put("source", m.source()));
    }
    Replies.json(ctx, 200, new JsonObject().put("models", a));
  }

  void load(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    requireSafeName("model name in the path", name);
    String uri =
        ctx.body().length() > 0 ? JsonBody.read(ctx.body().buffer(), RepositoryRoutes::uri) : null;
    ServedModel current = models.peek(name).orElse(null);
    if (uri == null && current == null) {
      throw new Replies.NotFoundException(
          "model '" + name + "' is not served and the body names no 'uri' to load it from",
          "models",
          models.names());
    }
    String source = uri != null ? uri : current.source();
    String previous = current == null ? null : current.version();
    ctx.vertx()
        .<ServedModel>executeBlocking(() -> models.load(source, name), false)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                Throwable c = ar.cause();
                String msg =
                    c instanceof ModelLoadException
                        ? c.getMessage()
                        : "cannot load " + source + ": " + c;
                Replies.json(
                    ctx,
                    400,
                    new JsonObject()
                        .put(
                            "error",
                            msg
                                + (current == null
                                    ? ""
                                    : "; still serving version " + current.version())));
                return;
              }
              ServedModel m = ar.result();
              Replies.labels(ctx, m);
              Replies.json(
                  ctx,
                  200,
                  new JsonObject()
                      .put("name", m.name())
                      .put("version", m.version())
                      .put("previousVersion", previous)
                      .put("source", m.source()));
            });
  }
}
