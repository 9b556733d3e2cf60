package dev.almanac.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.operator.http.ManagementServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The exported names are the contract of helpers/METRICS.md (alerts and dashboards match on them).
 */
class MetricsExpositionTest {
  @Test
  void exportsEveryOperatorMetricOfTheContractOverHttp() throws Exception {
    var prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    var metrics = new AlmanacMetrics(prometheus);
    metrics.trainingRun("ns", "fp", true, Duration.ofSeconds(90));
    metrics.lastSuccessfulTraining("ns", "fp", 1_700_000_000L);
    metrics.scheduleInterval("ns", "fp", 86_400L);
    metrics.promotion("ns", "fp", "automatic");
    metrics.gateFailure("ns", "fp", "threshold");
    metrics.consecutiveGateFailures("ns", "fp", 1);
    metrics.holdoutMetric("ns", "fp", "MASE", "6", 0.9);
    metrics.holdoutMetric("ns", "fp", "MASE", "7", 0.8);
    metrics.reconciliation("forecastpipeline", true);
    metrics.deploymentVersionMismatch("ns", "md", true);
    metrics.registryError("set_alias");

    var ready = new AtomicBoolean(false);
    try (var server = new ManagementServer(0, prometheus, () -> true, ready::get).start()) {
      var http = HttpClient.newHttpClient();
      var base = "http://127.0.0.1:" + server.port();
      var body =
          http.send(
                  HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(body)
          .contains(
              "almanac_training_runs_total{namespace=\"ns\",pipeline=\"fp\",result=\"succeeded\"} 1.0",
              "almanac_training_run_duration_seconds_bucket{",
              "almanac_training_run_duration_seconds_count{namespace=\"ns\",pipeline=\"fp\"} 1",
              "almanac_last_successful_training_timestamp_seconds{namespace=\"ns\",pipeline=\"fp\"} 1.7E9",
              "almanac_pipeline_schedule_interval_seconds{namespace=\"ns\",pipeline=\"fp\"} 86400.0",
              "almanac_promotions_total{kind=\"automatic\",namespace=\"ns\",pipeline=\"fp\"} 1.0",
              "almanac_gate_failures_total{gate=\"threshold\",namespace=\"ns\",pipeline=\"fp\"} 1.0",
              "almanac_consecutive_gate_failures{namespace=\"ns\",pipeline=\"fp\"} 1.0",
              "almanac_model_holdout_metric{metric=\"MASE\",namespace=\"ns\",pipeline=\"fp\",version=\"7\"} 0.8",
              "almanac_reconciliations_total{controller=\"forecastpipeline\",result=\"success\"} 1.0",
              "almanac_deployment_version_mismatch{deployment=\"md\",namespace=\"ns\"} 1.0",
              "almanac_registry_errors_total{operation=\"set_alias\"} 1.0");
      assertThat(body).doesNotContain("version=\"6\"");
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(503);
      ready.set(true);
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
    }
  }
}
