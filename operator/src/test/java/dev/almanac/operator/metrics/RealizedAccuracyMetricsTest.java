package dev.almanac.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Realized accuracy from a run's metrics becomes gauges per version and series; the next run's
 * scores replace them.
 */
class RealizedAccuracyMetricsTest {
  @Test
  void aRunsScoresReplaceThePipelinesPreviousOnes() {
    var prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    var metrics = new AlmanacMetrics(prometheus);
    metrics.realizedAccuracy(
        "ns",
        "covid",
        Map.of(
            "realized_mase.v6",
            "1.1",
            "realized_mase.v6.deu",
            "1.2",
            "realized_mae.v6.deu",
            "300",
            "holdout_mase.v6",
            "0.8",
            "mase.deu",
            "0.7",
            "realized_mase.v6.jpn",
            "NaN"));
    metrics.realizedAccuracy("ns", "other", Map.of("realized_mase.v2.fra", "3.0"));

    var text = prometheus.scrape();
    assertThat(text)
        .contains(
            "almanac_forecast_realized_mase{namespace=\"ns\",pipeline=\"covid\",series=\"deu\",version=\"6\"} 1.2",
            "almanac_forecast_holdout_mase{namespace=\"ns\",pipeline=\"covid\",version=\"6\"} 0.8",
            "almanac_forecast_realized_mase{namespace=\"ns\",pipeline=\"other\",series=\"fra\",version=\"2\"} 3.0")
        .doesNotContain("series=\"jpn\"");

    metrics.realizedAccuracy(
        "ns", "covid", Map.of("mase.deu", "0.7")); // nothing scored: the last scores stay
    assertThat(prometheus.scrape())
        .contains("pipeline=\"covid\",series=\"deu\",version=\"6\"} 1.2");

    metrics.realizedAccuracy(
        "ns", "covid", Map.of("realized_mase.v7.deu", "0.9", "holdout_mase.v7", "0.85"));
    text = prometheus.scrape();
    assertThat(text)
        .contains(
            "almanac_forecast_realized_mase{namespace=\"ns\",pipeline=\"covid\",series=\"deu\",version=\"7\"} 0.9")
        .doesNotContain("version=\"6\"")
        .contains("pipeline=\"other\",series=\"fra\",version=\"2\"} 3.0");
  }
}
