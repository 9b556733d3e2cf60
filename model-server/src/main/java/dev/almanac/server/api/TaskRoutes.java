package dev.almanac.server.api;

import dev.almanac.ml.bundle.RealizedForecasts;
import dev.almanac.server.model.BadRequestException;
import dev.almanac.server.model.ClassificationTask;
import dev.almanac.server.model.ClassificationTask.Diagnosis;
import dev.almanac.server.model.ForecastTask;
import dev.almanac.server.model.ModelRepository;
import dev.almanac.server.model.ServedModel;
import dev.almanac.server.monitoring.PayloadLog;
import dev.almanac.server.monitoring.PayloadRecord;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * The task APIs: {@code /v1/forecast}, {@code /v1/predict} and the model listing the dashboard
 * reads.
 */
final class TaskRoutes {
  /**
   * Forecasts up to this long, on histories up to this long, run on the event loop (see
   * forecast()).
   */
  private static final int INLINE_MAX_HORIZON = 92;

  private static final int INLINE_MAX_HISTORY = 5_000;

  private final ModelRepository models;
  private final int maxHorizon;
  private final PayloadLog payloads;

  TaskRoutes(ModelRepository models, int maxHorizon, PayloadLog payloads) {
    this.models = models;
    this.maxHorizon = maxHorizon;
    this.payloads = payloads;
  }

  /**
   * Sends a 200 reply; when the request is in the payload log's sample, hands the request body as
   * received and the reply's bytes to the log (never blocks).
   */
  private void replyAndLog(RoutingContext ctx, String route, ServedModel m, JsonObject reply) {
    Buffer body = reply.toBuffer();
    // copied before sending: the bytes must not depend on what the transport does with the buffer
    byte[] logged = payloads.sample() ? body.getBytes() : null;
    Replies.send(ctx, 200, Replies.JSON, body, null, null);
    if (logged != null) {
      payloads.offer(
          new PayloadRecord(
              System.currentTimeMillis(),
              route,
              m.name(),
              m.version(),
              200,
              ctx.body().buffer().getBytes(),
              logged));
    }
  }

  void forecast(RoutingContext ctx) {
    ForecastRequest request =
        JsonBody.read(ctx.body().buffer(), b -> ForecastRequest.read(b, maxHorizon));
    String series = request.series();
    Integer horizon = request.horizon();
    double[] history = request.history();
    ServedModel m = acquire(ctx, request.model(), "forecast");
    try {
      ForecastTask task = m.forecast();
      if (!task.series().contains(series)) {
        throw new Replies.NotFoundException(
            "unknown series '" + series + "'; model " + m.name() + " forecasts " + task.series(),
            "series",
            task.series());
      }
      if (history != null && history.length < task.minHistory()) {
        throw new BadRequestException(
            "field 'history' has "
                + history.length
                + " values, the model's features need at least "
                + task.minHistory());
      }
    } catch (RuntimeException e) {
      m.release();
      throw e;
    }
    int h = horizon == null ? m.forecast().defaultHorizon() : horizon;
    double[] hist = history;
    if (h <= INLINE_MAX_HORIZON && (hist == null || hist.length <= INLINE_MAX_HISTORY)) {
      // A few hundred microseconds of CPU: cheaper on the event loop than the two thread hand-offs
      // of
      // executeBlocking, which cost about as much as the forecast itself. Batched: the requests an
      // event loop reads together share one model call per day.
      Replies.Origin origin = Replies.Origin.here();
      m.forecast(series, h, hist)
          .whenComplete(
              (f, err) -> {
                m.release();
                Replies.onContext(
                    origin,
                    () -> {
                      if (err != null) {
                        Replies.failure(ctx, taskFailure(err));
                        return;
                      }
                      forecastReply(ctx, m, series, f);
                    });
              });
      return;
    }
    ctx.vertx()
        .<ForecastTask.Forecast>executeBlocking(() -> m.forecast().forecast(series, h, hist), false)
        .onComplete(
            ar -> {
              m.release();
              if (ar.failed()) {
                Replies.failure(ctx, taskFailure(ar.cause()));
                return;
              }
              forecastReply(ctx, m, series, ar.result());
            });
  }

  /**
   * A forecast task's IllegalArgumentException is the request's fault (400 naming it); anything
   * else stays ours.
   */
  private static Throwable taskFailure(Throwable t) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    return c instanceof IllegalArgumentException iae
        ? new BadRequestException(iae.getMessage())
        : c;
  }

  private void forecastReply(
      RoutingContext ctx, ServedModel m, String series, ForecastTask.Forecast f) {
    JsonObject reply =
        new JsonObject()
            .put("series", series)
            .put("model", m.name())
            .put("version", m.version())
            .put("dates", dates(f.dates()))
            .put("values", numbers(f.values()));
    if (!f.intervals().isEmpty()) {
      // additive: clients that know only dates/values are unaffected
      JsonArray intervals = new JsonArray();
      for (ForecastTask.Interval i : f.intervals()) {
        intervals.add(
            new JsonObject()
                .put("level", i.level())
                .put("lower", numbers(i.lower()))
                .put("upper", numbers(i.upper())));
      }
      reply.put("intervals", intervals);
    }
    replyAndLog(ctx, "/v1/forecast", m, reply);
  }

  void predict(RoutingContext ctx) {
    PredictRequest request = JsonBody.read(ctx.body().buffer(), PredictRequest::read);
    List<String> symptoms = request.symptoms();
    Integer topK = request.topK();
    ServedModel m = acquire(ctx, request.model(), "classification");
    ClassificationTask task = m.classification();
    int k;
    try {
      List<String> unknown = task.unknown(symptoms);
      if (!unknown.isEmpty()) {
        throw new BadRequestException(
            "unknown symptom(s) "
                + unknown
                + "; GET /v1/models lists the "
                + task.symptoms().size()
                + " symptoms model "
                + m.name()
                + " knows");
      }
      k = topK == null ? Math.min(3, task.classes().size()) : topK;
      if (k > task.classes().size()) {
        throw new BadRequestException(
            "field 'topK' must be between 1 and "
                + task.classes().size()
                + " (the number of classes), got "
                + k);
      }
    } catch (RuntimeException e) {
      m.release();
      throw e;
    }
    Replies.whenCalled(
        ctx,
        m,
        m.predict(symptoms, k),
        diagnoses -> {
          JsonArray predictions = new JsonArray();
          for (Diagnosis d : diagnoses) {
            predictions.add(
                new JsonObject()
                    .put("disease", d.disease())
                    .put("probability", d.probability())
                    .put("description", d.description())
                    .put("precautions", new JsonArray(new ArrayList<>(d.precautions()))));
          }
          JsonObject reply =
              new JsonObject()
                  .put("model", m.name())
                  .put("version", m.version())
                  .put("predictions", predictions);
          replyAndLog(ctx, "/v1/predict", m, reply);
        });
  }

  /** Every served model with what the dashboard shows about it. */
  void list(RoutingContext ctx) {
    JsonArray out = new JsonArray();
    for (ServedModel m : models.snapshot()) {
      JsonObject o =
          new JsonObject()
              .put("name", m.name())
              .put("version", m.version())
              .put("task", m.task())
              .put("source", m.source())
              .put("loadedAt", m.loadedAt().toString())
              .put("info", new JsonObject(new java.util.LinkedHashMap<>(m.info())));
      if (m.forecast() != null) {
        o.put("series", new JsonArray(new ArrayList<>(m.forecast().series())))
            .put("metrics", metrics(m.forecast().metrics()))
            .put("defaultHorizon", m.forecast().defaultHorizon())
            .put("maxHorizon", maxHorizon);
      } else if (m.classification() != null) {
        o.put("symptoms", new JsonArray(new ArrayList<>(m.classification().symptoms())))
            .put("classes", m.classification().classes().size())
            .put("metrics", metrics(m.classification().metrics()));
      }
      out.add(o);
    }
    Replies.json(ctx, 200, new JsonObject().put("models", out));
  }

  /**
   * History, holdout actuals vs predictions of one series (the forecast itself comes from
   * /v1/forecast).
   */
  void series(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    ServedModel m = models.peek(name).orElseThrow(() -> Replies.notServed(name, models));
    Replies.labels(ctx, m);
    if (m.forecast() == null) {
      throw new BadRequestException(
          "model '" + name + "' is a " + m.task() + " model, not a forecast model");
    }
    String series = ctx.pathParam("series");
    if (!m.forecast().series().contains(series)) {
      throw new Replies.NotFoundException(
          "unknown series '" + series + "'", "series", m.forecast().series());
    }
    ForecastTask.SeriesView v = m.forecast().view(series);
    Replies.json(
        ctx,
        200,
        new JsonObject()
            .put("model", m.name())
            .put("version", m.version())
            .put("series", series)
            .put(
                "history",
                new JsonObject()
                    .put("dates", dates(v.historyDates()))
                    .put("values", numbers(v.history())))
            .put(
                "holdout",
                new JsonObject()
                    .put("dates", dates(v.holdoutDates()))
                    .put("actual", numbers(v.holdoutActual()))
                    .put("predicted", numbers(v.holdoutPredicted())))
            .put("metrics", metrics(v.metrics()))
            .put("realized", realized(m.forecast().realized(series))));
  }

  /**
   * Earlier versions' forecasts and the actuals that arrived for their days, one entry per version:
   * {@code [{version, dates, forecast, actual}]}.
   */
  private static JsonArray realized(List<RealizedForecasts.Point> points) {
    Map<String, JsonObject> byVersion = new java.util.LinkedHashMap<>();
    for (RealizedForecasts.Point p : points) {
      JsonObject v =
          byVersion.computeIfAbsent(
              p.version(),
              k ->
                  new JsonObject()
                      .put("version", k)
                      .put("dates", new JsonArray())
                      .put("forecast", new JsonArray())
                      .put("actual", new JsonArray()));
      v.getJsonArray("dates").add(p.date().toString());
      v.getJsonArray("forecast").add(Double.isFinite(p.forecast()) ? p.forecast() : null);
      v.getJsonArray("actual").add(Double.isFinite(p.actual()) ? p.actual() : null);
    }
    return new JsonArray(new ArrayList<>(byVersion.values()));
  }

  private ServedModel acquire(RoutingContext ctx, String requested, String task) {
    ServedModel m;
    if (requested != null) {
      m = models.acquire(requested).orElseThrow(() -> Replies.notServed(requested, models));
      if (!m.task().equals(task)) {
        m.release();
        throw new BadRequestException(
            "model '"
                + requested
                + "' is a "
                + m.task()
                + " model, this route needs a "
                + task
                + " model");
      }
    } else {
      List<String> candidates =
          models.snapshot().stream()
              .filter(s -> s.task().equals(task))
              .map(ServedModel::name)
              .sorted()
              .toList();
      if (candidates.isEmpty()) {
        throw new Replies.NotFoundException(
            "no " + task + " model is served", "models", models.names());
      }
      if (candidates.size() > 1) {
        throw new BadRequestException(
            "several " + task + " models are served " + candidates + "; name one in field 'model'");
      }
      m =
          models
              .acquire(candidates.get(0))
              .orElseThrow(() -> Replies.notServed(candidates.get(0), models));
    }
    Replies.labels(ctx, m);
    return m;
  }

  static JsonArray dates(List<LocalDate> d) {
    JsonArray a = new JsonArray(new ArrayList<>(d.size()));
    d.forEach(x -> a.add(x.toString()));
    return a;
  }

  static JsonArray numbers(double[] v) {
    JsonArray a = new JsonArray(new ArrayList<>(v == null ? 0 : v.length));
    if (v != null) {
      for (double x : v) {
        a.add(Double.isFinite(x) ? x : null);
      }
    }
    return a;
  }

  static JsonObject metrics(Map<String, Double> m) {
    JsonObject o = new JsonObject();
    m.forEach((k, v) -> o.put(k, v == null || !Double.isFinite(v) ? null : v));
    return o;
  }
}
