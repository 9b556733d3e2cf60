package dev.almanac.server.api;

import dev.almanac.server.model.ModelRepository;
import dev.almanac.server.model.ServedModel;
import dev.almanac.server.model.Tensor;
import dev.almanac.server.model.TensorSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/** KServe Open Inference Protocol v2: health, model metadata and readiness, infer. */
final class KServeRoutes {
  private final ModelRepository models;
  private final BooleanSupplier ready;

  KServeRoutes(ModelRepository models, BooleanSupplier ready) {
    this.models = models;
    this.ready = ready;
  }

  void live(RoutingContext ctx) {
    Replies.json(ctx, 200, new JsonObject().put("live", true));
  }

  void ready(RoutingContext ctx) {
    boolean r = ready.getAsBoolean();
    Replies.json(ctx, r ? 200 : 503, new JsonObject().put("ready", r));
  }

  void server(RoutingContext ctx) {
    Replies.json(
        ctx,
        200,
        new JsonObject()
            .put("name", "almanac-model-server")
            .put("version", ServerInfo.VERSION)
            .put("extensions", new JsonArray().add("model_repository").add("binary_tensor_data")));
  }

  void metadata(RoutingContext ctx) {
    ServedModel m = find(ctx);
    JsonArray inputs = new JsonArray();
    m.tensors().inputs().forEach(s -> inputs.add(spec(s)));
    JsonArray outputs = new JsonArray();
    m.tensors().outputs().forEach(s -> outputs.add(spec(s)));
    Replies.json(
        ctx,
        200,
        new JsonObject()
            .put("name", m.name())
            .put("versions", new JsonArray().add(m.version()))
            .put("platform", m.tensors().platform())
            .put("inputs", inputs)
            .put("outputs", outputs)
            .put("parameters", new JsonObject().put("task", m.task()).put("source", m.source())));
  }

  void modelReady(RoutingContext ctx) {
    ServedModel m = find(ctx);
    Replies.json(
        ctx,
        200,
        new JsonObject().put("name", m.name()).put("version", m.version()).put("ready", true));
  }

  void infer(RoutingContext ctx) {
    BinaryTensorData.Body body =
        BinaryTensorData.split(
            ctx.body().buffer(), ctx.request().getHeader(BinaryTensorData.HEADER));
    InferRequest request = JsonBody.read(body.json(), InferRequest::read);
    ServedModel m = acquire(ctx, ctx.pathParam("name"));
    List<Tensor> inputs;
    Set<String> wanted;
    Set<String> binary;
    try {
      // checked against the version actually acquired (a hot swap may change the signature)
      inputs = request.tensors(m.tensors().inputs(), BinaryTensorData.reader(body.binary()));
      wanted = request.wanted(m.tensors().outputs());
      binary = request.binaryOutputs(m.tensors().outputs());
    } catch (RuntimeException e) {
      m.release();
      throw e;
    }
    Replies.whenCalled(
        ctx,
        m,
        m.infer(inputs),
        out -> {
          InferReply reply =
              InferReply.write(m.name(), m.version(), request.id(), out, wanted, binary);
          if (binary.isEmpty()) {
            Replies.send(ctx, 200, Replies.JSON, reply.body(), null, null);
          } else {
            Replies.send(
                ctx,
                200,
                Replies.OCTET_STREAM,
                reply.body(),
                BinaryTensorData.HEADER_NAME,
                Integer.toString(reply.jsonLength()));
          }
        });
  }

  /** The served model named in the path, checked against the path's version; labels the request. */
  private ServedModel find(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    ServedModel m = models.peek(name).orElseThrow(() -> Replies.notServed(name, models));
    checkVersion(ctx, m);
    Replies.labels(ctx, m);
    return m;
  }

  private ServedModel acquire(RoutingContext ctx, String name) {
    ServedModel m = models.acquire(name).orElseThrow(() -> Replies.notServed(name, models));
    try {
      checkVersion(ctx, m);
    } catch (RuntimeException e) {
      m.release();
      throw e;
    }
    Replies.labels(ctx, m);
    return m;
  }

  private static void checkVersion(RoutingContext ctx, ServedModel m) {
    String v = ctx.pathParam("version");
    if (v != null && !v.equals(m.version())) {
      throw new Replies.NotFoundException(
          "model '"
              + m.name()
              + "' version '"
              + v
              + "' is not served (serving version "
              + m.version()
              + ")",
          "versions",
          List.of(m.version()));
    }
  }

  static JsonObject spec(TensorSpec s) {
    JsonArray shape = new JsonArray();
    for (long d : s.shape()) {
      shape.add(d);
    }
    return new JsonObject()
        .put("name", s.name())
        .put("datatype", s.type().name())
        .put("shape", shape);
  }
}
