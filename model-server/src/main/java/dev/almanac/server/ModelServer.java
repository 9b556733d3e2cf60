package dev.almanac.server;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.almanac.server.api.HttpApi;
import dev.almanac.server.metrics.ServerMetrics;
import dev.almanac.server.model.ModelLoadException;
import dev.almanac.server.model.ModelLoader;
import dev.almanac.server.model.ModelRepository;
import dev.almanac.server.monitoring.PayloadLog;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.jackson.DatabindCodec;
import io.vertx.ext.web.Router;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model server process: HTTP first (live, not ready), then every configured model loaded and
 * warmed up in the background; ready only when all of them are. {@link #stop()} drains in-flight
 * requests before closing.
 */
public final class ModelServer {
  private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);

  /** How long no request may have started before a stopping server closes its port. */
  private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final ServerConfig config;
  private final ServerMetrics metrics = new ServerMetrics();
  private final ModelRepository models;
  private final AtomicBoolean ready = new AtomicBoolean();
  private final Vertx vertx;
  private final HttpApi api;
  private final List<HttpServer> http = new CopyOnWriteArrayList<>();
  private final AtomicInteger adminPort = new AtomicInteger(-1);
  private final PayloadLog payloads;

  /**
   * How often the TLS files are checked for a rotation (the kubelet syncs Secrets ~every minute).
   */
  static final long TLS_CHECK_MILLIS = 10_000;

  /**
   * @param loaders builds the model loader from the server's metrics (load meters are per model
   *     version)
   */
  public ModelServer(ServerConfig config, Function<ServerMetrics, ModelLoader> loaders) {
    this(config, loaders, metrics -> PayloadLog.OFF);
  }

  /**
   * @param payloads builds the sampled request log from the server's metrics ({@link
   *     PayloadLog#OFF} for none); it is flushed and closed by {@link #stop()}
   */
  public ModelServer(
      ServerConfig config,
      Function<ServerMetrics, ModelLoader> loaders,
      Function<ServerMetrics, PayloadLog> payloads) {
    fastJsonNumbers();
    this.config = config;
    this.models = new ModelRepository(loaders.apply(metrics), metrics);
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setPreferNativeTransport(true)
                .setMaxWorkerExecuteTime(10)
                .setMaxWorkerExecuteTimeUnit(TimeUnit.MINUTES)
                .setWarningExceptionTime(10)
                .setWarningExceptionTimeUnit(TimeUnit.MINUTES));
    this.payloads = payloads.apply(metrics);
    this.api =
        new HttpApi(
            models, metrics, ready::get, config.maxBodyBytes(), config.maxHorizon(), this.payloads);
  }

  /**
   * Tensors travel as JSON numbers: Jackson's Schubfach writer and FastDoubleParser (both exact,
   * round-trip safe) instead of {@code Float.toString}/{@code Double.parseDouble} on Vert.x's
   * shared mapper, which every {@code JsonObject} encode and decode uses.
   */
  private static void fastJsonNumbers() {
    DatabindCodec.mapper()
        .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature())
        .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER.mappedFeature());
  }

  public ServerConfig config() {
    return config;
  }

  public ModelRepository models() {
    return models;
  }

  public ServerMetrics metrics() {
    return metrics;
  }

  public PayloadLog payloads() {
    return payloads;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The API routes ("METHOD /path/{param}"). */
  public java.util.List<String> routes() {
    return api.routes();
  }

  public boolean isReady() {
    return ready.get();
  }

  /**
   * Binds the port; completes with the bound port (useful with port 0). The models start loading at
   * once, on a worker thread, so that a pod's model download and ONNX Runtime session overlap
   * Vert.x's own start; the server is ready when both are done.
   *
   * <p>One HTTP server instance per event loop, sharing the port (Vert.x spreads connections over
   * them): a single instance runs every connection on one event loop, i.e. one core, and requests
   * (JSON, the batched model calls, forecasts) run on the event loops.
   */
  public Future<Integer> start() {
    // -1: one random port shared by all instances (0 would give each its own)
    HttpServerOptions opts =
        new HttpServerOptions()
            .setHost(config.bind())
            .setPort(config.port() == 0 ? -1 : config.port())
            .setCompressionSupported(false)
            .setTcpNoDelay(true)
            .setIdleTimeout(120)
            // no WebSocket routes: without these Vert.x leaves the extension handler out of every
            // connection's pipeline
            .setPerMessageWebSocketCompressionSupported(false)
            .setPerFrameWebSocketCompressionSupported(false);
    secure(opts);
    loadAll(config.models());
    Router router = api.router(vertx);
    int instances = config.eventLoops();
    AtomicInteger port = new AtomicInteger();
    return vertx
        .deployVerticle(
            () ->
                new AbstractVerticle() {
                  @Override
                  public void start(Promise<Void> started) {
                    vertx
                        .createHttpServer(opts)
                        .requestHandler(router)
                        .listen()
                        .onSuccess(
                            s -> {
                              http.add(s);
                              port.set(s.actualPort());
                              started.complete();
                            })
                        .onFailure(started::fail);
                  }
                },
            new DeploymentOptions().setInstances(instances))
        .compose(id -> startAdmin())
        .map(
            id -> {
              watchCertificate();
              LOG.info(
                  "listening ({}) on {}:{} with {} event loop(s), {} transport ({} model(s) loading, batching max {} rows / {} ms)",
                  config.tls().enabled() ? "HTTPS" : "HTTP",
                  config.bind(),
                  port.get(),
                  instances,
                  vertx.isNativeTransportEnabled() ? "epoll" : "NIO (epoll unavailable)",
                  config.models().size(),
                  config.maxBatchSize(),
                  config.maxDelayMillis());
              return port.get();
            });
  }

  /** The admin port (repository routes), when configured: one server, rare requests. */
  private Future<Void> startAdmin() {
    ServerConfig.Admin admin = config.admin();
    if (!admin.enabled()) {
      return Future.succeededFuture();
    }
    HttpServerOptions opts =
        new HttpServerOptions().setHost(config.bind()).setPort(admin.port()).setIdleTimeout(120);
    // the bearer token must not cross the network in clear when the server has a certificate
    secure(opts);
    return vertx
        .createHttpServer(opts)
        .requestHandler(api.adminRouter(vertx, admin.token()))
        .listen()
        .map(
            s -> {
              http.add(s);
              adminPort.set(s.actualPort());
              LOG.info(
                  "admin port (repository routes, bearer token) listening on {}:{}",
                  config.bind(),
                  s.actualPort());
              return null;
            });
  }

  /**
   * HTTPS from the configured PEM files (TLS 1.2 and 1.3 only, Vert.x's defaults); a bad file fails
   * {@link #start()} naming it.
   */
  private void secure(HttpServerOptions opts) {
    ServerConfig.Tls tls = config.tls();
    if (tls.enabled()) {
      opts.setSsl(true).setKeyCertOptions(TlsRotation.keyCert(tls));
    }
  }

  /** With TLS: looks for a rotated certificate every {@link #TLS_CHECK_MILLIS}. */
  private void watchCertificate() {
    if (!config.tls().enabled()) {
      return;
    }
    TlsRotation rotation = new TlsRotation(config.tls());
    vertx.setPeriodic(
        TLS_CHECK_MILLIS,
        id -> vertx.executeBlocking(() -> rotation.check(List.copyOf(http)), false));
  }

  /** The bound admin port, -1 when it is off (or not bound yet). */
  public int adminPort() {
    return adminPort.get();
  }

  private void loadAll(List<String> sources) {
    vertx.executeBlocking(
        () -> {
          boolean all = true;
          for (String source : sources) {
            try {
              models.load(source, null);
            } catch (ModelLoadException e) {
              all = false;
              LOG.error(
                  "model {} could not be loaded; the server stays not ready: {}",
                  source,
                  e.getMessage());
            }
          }
          if (all && !sources.isEmpty()) {
            ready.set(true);
            metrics.ready(true);
            // JVM uptime at Ready: with the pod's create -> Ready it splits a slow start into the
            // kubelet's part and the server's own (JVM start, model download, warm-up).
            LOG.info(
                "ready: {} model(s) loaded and warmed up: {} ({} ms after JVM start)",
                sources.size(),
                models.names(),
                ManagementFactory.getRuntimeMXBean().getUptime());
          } else if (sources.isEmpty()) {
            LOG.warn(
                "no model configured (--model or ALMANAC_MODELS); the server stays not ready until one is loaded");
          }
          return all;
        },
        false);
  }

  /**
   * Readiness goes false at once; requests are still answered, each with {@code Connection: close},
   * until none is in flight or has started for 250 ms (at most the grace period); then the port,
   * the models and Vert.x are closed. Runs on its own thread (Vert.x cannot report its own close on
   * one of its event loops).
   */
  public CompletableFuture<Void> stop() {
    ready.set(false);
    metrics.ready(false);
    api.drain();
    return CompletableFuture.runAsync(
        () -> {
          long deadline =
              System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.shutdownGraceMillis());
          try {
            // until a quiet moment: requests on kept-alive connections keep coming for a while
            // after the endpoint is gone, each answered with Connection: close
            while (!api.quietFor(QUIET_NANOS) && System.nanoTime() < deadline) {
              Thread.sleep(5);
            }
            if (api.inFlight() > 0) {
              LOG.warn(
                  "{} request(s) still in flight after the grace period; closing anyway",
                  api.inFlight());
            }
            for (HttpServer s : http) {
              s.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            // after the port closed: every sampled request is queued; write them all
            payloads.close(10_000);
            models.closeAll();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (ExecutionException | TimeoutException e) {
            LOG.warn("shutdown: {}", e.toString());
          }
        },
        r -> {
          Thread t = new Thread(r, "model-server-stop");
          t.start();
        });
  }
}
