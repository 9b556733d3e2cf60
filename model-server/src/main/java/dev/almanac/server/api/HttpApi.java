package dev.almanac.server.api;

import dev.almanac.server.metrics.ServerMetrics;
import dev.almanac.server.model.ModelRepository;
import dev.almanac.server.monitoring.PayloadLog;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The routers: the inference port's routes and the admin port's repository routes (behind {@link
 * AdminAuth}), the request metrics around them, the body limit and the JSON error handler. Requests
 * are counted in flight so shutdown can drain them.
 */
public final class HttpApi {
  static final String ROUTE = "almanac.route";

  private final ModelRepository models;
  private final ServerMetrics metrics;
  private final BooleanSupplier ready;
  private final long maxBodyBytes;
  private final int maxHorizon;
  private final PayloadLog payloads;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final List<String> routes = new ArrayList<>();
  private volatile boolean draining;
  private volatile long lastRequestStarted = System.nanoTime();

  public HttpApi(
      ModelRepository models,
      ServerMetrics metrics,
      BooleanSupplier ready,
      long maxBodyBytes,
      int maxHorizon) {
    this(models, metrics, ready, maxBodyBytes, maxHorizon, PayloadLog.OFF);
  }

  /**
   * @param payloads sampled request logging of the task routes ({@link PayloadLog#OFF} for none)
   */
  public HttpApi(
      ModelRepository models,
      ServerMetrics metrics,
      BooleanSupplier ready,
      long maxBodyBytes,
      int maxHorizon,
      PayloadLog payloads) {
    this.models = models;
    this.metrics = metrics;
    this.ready = ready;
    this.maxBodyBytes = maxBodyBytes;
    this.maxHorizon = maxHorizon;
    this.payloads = payloads;
  }

  public int inFlight() {
    return inFlight.get();
  }

  /**
   * From now on readiness answers 503 and every response says {@code Connection: close}: a client
   * on a kept-alive connection gets its answer and reconnects, through the Service, to a pod that
   * is not stopping (answering it 503 instead failed requests of keep-alive clients mid-rollout).
   */
  public void drain() {
    draining = true;
  }

  /** No request in flight and none started for {@code nanos}: the port can close. */
  public boolean quietFor(long nanos) {
    return inFlight.get() == 0 && System.nanoTime() - lastRequestStarted > nanos;
  }

  public Router router(Vertx vertx) {
    Router r = Router.router(vertx);
    r.route().handler(this::track);
    KServeRoutes kserve = new KServeRoutes(models, () -> ready.getAsBoolean() && !draining);
    TaskRoutes tasks = new TaskRoutes(models, maxHorizon, payloads);
    DocsRoutes docs = new DocsRoutes(metrics);
    BodyHandler body = body();

    // the request routes first: the router tests every earlier route's path (a regular expression
    // for those with parameters) before it reaches the one that matches
    post(r, body, "/v2/models/:name/infer", kserve::infer);
    post(r, body, "/v1/predict", tasks::predict);
    post(r, body, "/v1/forecast", tasks::forecast);
    post(r, body, "/v2/models/:name/versions/:version/infer", kserve::infer);
    get(r, "/v2/health/live", kserve::live);
    get(r, "/v2/health/ready", kserve::ready);
    get(r, "/v2", kserve::server);
    get(r, "/v2/models/:name", kserve::metadata);
    get(r, "/v2/models/:name/versions/:version", kserve::metadata);
    get(r, "/v2/models/:name/ready", kserve::modelReady);
    get(r, "/v2/models/:name/versions/:version/ready", kserve::modelReady);
    get(r, "/v1/models", tasks::list);
    get(r, "/v1/models/:name/series/:series", tasks::series);
    get(r, "/metrics", docs::metrics);
    get(r, "/openapi.json", docs::openapi);
    get(r, "/docs", docs::swagger);
    get(r, "/", docs::dashboard);
    r.route(HttpMethod.GET, "/assets/*")
        .handler(label("/assets/*"))
        .handler(StaticHandler.create("web/assets").setCachingEnabled(true));
    r.route(HttpMethod.GET, "/webjars/*")
        .handler(label("/webjars/*"))
        .handler(
            StaticHandler.create("META-INF/resources/webjars")
                .setCachingEnabled(true)
                .setMaxAgeSeconds(86_400));
    return finish(r);
  }

  /**
   * The admin port: the KServe model repository routes (index, load), each request with the bearer
   * {@code token}. They are not on the inference port, which answers 404 for them.
   */
  public Router adminRouter(Vertx vertx, String token) {
    Router r = Router.router(vertx);
    r.route().handler(this::track);
    r.route().handler(new AdminAuth(token, metrics));
    RepositoryRoutes repo = new RepositoryRoutes(models);
    BodyHandler body = body();
    post(r, body, "/v2/repository/index", repo::index);
    get(r, "/v2/repository/index", repo::index);
    post(r, body, "/v2/repository/models/:name/load", repo::load);
    return finish(r);
  }

  private BodyHandler body() {
    return BodyHandler.create(false).setBodyLimit(maxBodyBytes).setHandleFileUploads(false);
  }

  private Router finish(Router r) {
    r.route()
        .last()
        .handler(
            ctx ->
                Replies.error(
                    ctx,
                    404,
                    "no route "
                        + ctx.request().method()
                        + " "
                        + ctx.request().path()
                        + "; see /openapi.json"));
    r.route().failureHandler(this::failed);
    return r;
  }

  /**
   * "METHOD /path/{param}" of every API route (inference and admin port), for the OpenAPI
   * cross-check.
   */
  public List<String> routes() {
    return List.copyOf(routes);
  }

  private void record(String method, String path) {
    routes.add(method + " " + path.replaceAll(":(\\w+)", "{$1}"));
  }

  private void get(Router r, String path, Handler<RoutingContext> h) {
    record("GET", path);
    r.get(path).handler(label(path)).handler(guard(h));
  }

  private void post(Router r, BodyHandler body, String path, Handler<RoutingContext> h) {
    record("POST", path);
    r.post(path).handler(body).handler(label(path)).handler(guard(h));
  }

  /**
   * Labels the request with its route template ({@code /v2/models/{name}/infer}), never the raw
   * path (bounded cardinality).
   */
  private static Handler<RoutingContext> label(String path) {
    String template = path.replaceAll(":(\\w+)", "{$1}");
    return ctx -> {
      ctx.put(ROUTE, template);
      ctx.next();
    };
  }

  /**
   * Exceptions thrown synchronously by a handler become JSON errors instead of Vert.x's 500 page.
   */
  private static Handler<RoutingContext> guard(Handler<RoutingContext> h) {
    return ctx -> {
      try {
        h.handle(ctx);
      } catch (RuntimeException e) {
        Replies.failure(ctx, e);
      }
    };
  }

  private void track(RoutingContext ctx) {
    long t0 = System.nanoTime();
    lastRequestStarted = t0;
    boolean closeAfter = draining;
    if (closeAfter) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    inFlight.incrementAndGet();
    ctx.addEndHandler(
        v -> {
          inFlight.decrementAndGet();
          if (closeAfter) {
            ctx.response().close();
          }
          String route = ctx.get(ROUTE);
          String model = ctx.get(Replies.MODEL);
          String version = ctx.get(Replies.VERSION);
          metrics.request(
              route == null ? "other" : route,
              model == null ? "" : model,
              version == null ? "" : version,
              ctx.response().getStatusCode(),
              System.nanoTime() - t0);
        });
    ctx.next();
  }

  /** Body too large (413), bad method and the like arrive here; every one answers JSON. */
  private void failed(RoutingContext ctx) {
    if (ctx.failure() != null && ctx.statusCode() < 0) {
      Replies.failure(ctx, ctx.failure());
      return;
    }
    int code = ctx.statusCode() < 0 ? 500 : ctx.statusCode();
    String msg =
        switch (code) {
          case 413 -> "request body is larger than the limit of " + maxBodyBytes + " bytes";
          case 400 ->
              "bad request" + (ctx.failure() == null ? "" : ": " + ctx.failure().getMessage());
          case 405 -> "method not allowed";
          default -> ctx.failure() == null ? "error " + code : ctx.failure().getMessage();
        };
    Replies.error(ctx, code, msg);
  }
}
