package dev.almanac.server.monitoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.IntSupplier;

/**
 * {@code almanac_server_payload_log_*}: records written to S3, dropped because the upload queue was
 * full, lost to a failed upload, and the records accepted and not yet written. Registered up front
 * so a rate() sees 0, not an absent series.
 */
final class PayloadLogMetrics {
  final Counter written;
  final Counter dropped;
  final Counter failed;

  PayloadLogMetrics(MeterRegistry registry, IntSupplier queued) {
    written =
        Counter.builder("almanac.server.payload.log.written")
            .description("sampled request records written to S3")
            .register(registry);
    dropped =
        Counter.builder("almanac.server.payload.log.dropped")
            .description("sampled request records dropped because the upload queue was full")
            .register(registry);
    failed =
        Counter.builder("almanac.server.payload.log.failed")
            .description("sampled request records lost because their upload failed")
            .register(registry);
    Gauge.builder("almanac.server.payload.log.queued", queued, IntSupplier::getAsInt)
        // a gauge holds its object weakly, and nothing else holds this lambda: after a GC the
        // series read NaN
        .strongReference(true)
        .description("sampled request records accepted and not yet written")
        .register(registry);
  }
}
