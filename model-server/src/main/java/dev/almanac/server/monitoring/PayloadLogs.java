package dev.almanac.server.monitoring;

import dev.almanac.registry.S3ArtifactStore;
import dev.almanac.registry.S3Settings;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the server's payload log from its environment: S3 settings as for model artifacts. */
public final class PayloadLogs {
  private static final Logger LOG = LoggerFactory.getLogger(PayloadLogs.class);

  private PayloadLogs() {}

  /**
   * {@link PayloadLog#OFF} unless {@code ALMANAC_PAYLOAD_LOG_URI} is set; S3 from {@code
   * MLFLOW_S3_ENDPOINT_URL} / {@code AWS_*} ({@link S3Settings#fromEnv}), the instance name from
   * {@code HOSTNAME} (the pod name).
   */
  public static PayloadLog fromEnv(Map<String, String> env, MeterRegistry registry) {
    var settings = PayloadLogSettings.fromEnv(env);
    if (!settings.enabled()) {
      return PayloadLog.OFF;
    }
    var sink =
        new S3PayloadSink(
            new S3ArtifactStore(S3Settings.fromEnv(env)),
            settings.uri(),
            Path.of(System.getProperty("java.io.tmpdir"), "almanac-payloads"));
    LOG.info(
        "payload logging: {} of requests to {} (queue {}, {} records or {} per object)",
        settings.sampleRate(),
        settings.uri(),
        settings.queueCapacity(),
        settings.batchRecords(),
        settings.flushInterval());
    return new PayloadLog(settings, sink, registry, env.get("HOSTNAME"));
  }
}
