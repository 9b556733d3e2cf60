package dev.almanac.server;

import dev.almanac.ml.onnx.OnnxModel;
import dev.almanac.server.bundle.BundleModelLoader;
import dev.almanac.server.bundle.RegistryModelSource;
import dev.almanac.server.model.BatchSettings;
import dev.almanac.server.monitoring.PayloadLogSettings;
import dev.almanac.server.monitoring.PayloadLogs;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar almanac-model-server.jar --model <bundle dir | models:/name/version |
 * models:/name@alias> --port 8080}.
 */
public final class ModelServerMain {
  private ModelServerMain() {}

  public static void main(String[] args) throws Exception {
    // DJL must never phone home from a server (set before any DJL class loads)
    System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
    System.setProperty("OPT_OUT_TRACKING", System.getProperty("OPT_OUT_TRACKING", "true"));
    System.setProperty(
        "vertx.disableDnsResolver", System.getProperty("vertx.disableDnsResolver", "true"));
    ServerConfig config;
    try {
      if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
        System.out.println(ServerConfig.USAGE);
        return;
      }
      config = ServerConfig.parse(args, System.getenv());
      // a bad ALMANAC_PAYLOAD_LOG_* or ALMANAC_DRIFT_WINDOW fails here, with the usage
      PayloadLogSettings.fromEnv(System.getenv());
      driftWindow(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(ServerConfig.USAGE);
      System.exit(2);
      return;
    }
    Logger log = LoggerFactory.getLogger(ModelServerMain.class);
    if (config.models().isEmpty()) {
      log.warn("no model given (--model or ALMANAC_MODELS); serving none");
    } else {
      // ONNX Runtime's native start overlaps Vert.x's start and the model download
      var init = new Thread(OnnxModel::initRuntime, "onnxruntime-init");
      init.setDaemon(true);
      init.start();
    }
    ModelServer server =
        new ModelServer(
            config,
            metrics ->
                new BundleModelLoader(
                    new RegistryModelSource(config.cacheDir(), System.getenv()),
                    BatchSettings.ofMillis(config.maxBatchSize(), config.maxDelayMillis()),
                    metrics,
                    driftWindow(System.getenv())),
            metrics -> PayloadLogs.fromEnv(System.getenv(), metrics.registry()));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("shutting down: draining in-flight requests");
                  try {
                    server.stop().get(config.shutdownGraceMillis() + 5000, TimeUnit.MILLISECONDS);
                  } catch (Exception e) {
                    log.warn("shutdown did not complete cleanly: {}", e.toString());
                  }
                  stopped.countDown();
                },
                "shutdown"));
    try {
      server.start().toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      log.error("cannot start: {}", e.getCause() == null ? e.toString() : e.getCause().toString());
      System.exit(1);
    }
    stopped.await();
  }

  /** {@code ALMANAC_DRIFT_WINDOW}: requests per input-drift window (default 1000). */
  static int driftWindow(java.util.Map<String, String> env) {
    String v = env.get("ALMANAC_DRIFT_WINDOW");
    if (v == null || v.isBlank()) {
      return BundleModelLoader.DEFAULT_DRIFT_WINDOW;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "ALMANAC_DRIFT_WINDOW: '" + v + "' is not a positive integer");
    }
  }
}
