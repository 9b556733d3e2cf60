package dev.almanac.charttests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every {@code almanac_*} metric an alert or a dashboard panel uses is one the exporters promise in
 * {@code docs/metrics.md} (histogram series {@code _bucket/_sum/_count} only for histograms).
 */
class MetricNamesTest {
  private static final Pattern TABLE_ROW =
      Pattern.compile("^\\|\\s*(almanac_[a-z0-9_]+)\\s*\\|\\s*([^|]+)\\|", Pattern.MULTILINE);
  private static final Pattern METRIC = Pattern.compile("\\balmanac_[a-z0-9_]+");
  private static final List<String> HISTOGRAM_SUFFIXES = List.of("_bucket", "_sum", "_count");

  /** name -> type, from the tables of docs/metrics.md. */
  static Map<String, String> documented() {
    var names = new TreeMap<String, String>();
    var m = TABLE_ROW.matcher(Project.read(Project.docs().resolve("metrics.md")));
    while (m.find()) {
      names.put(m.group(1), m.group(2).strip());
    }
    return names;
  }

  static Set<String> alertMetrics() {
    var used = new TreeSet<String>();
    Yaml.read(Project.read(Project.alertRules()))
        .path("groups")
        .forEach(
            g -> g.path("rules").forEach(r -> used.addAll(metricsIn(r.path("expr").asText()))));
    return used;
  }

  static List<String> dashboardExpressions() {
    var exprs = new ArrayList<String>();
    collect(Yaml.readJson(Project.read(Project.dashboard())), exprs);
    return exprs;
  }

  private static void collect(JsonNode node, List<String> exprs) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> {
                if ((e.getKey().equals("expr")
                        || e.getKey().equals("query")
                        || e.getKey().equals("definition"))
                    && e.getValue().isTextual()) {
                  exprs.add(e.getValue().asText());
                } else {
                  collect(e.getValue(), exprs);
                }
              });
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, exprs));
    }
  }

  private static Set<String> metricsIn(String expr) {
    var names = new TreeSet<String>();
    var m = METRIC.matcher(expr);
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  /** The documented metric a series name belongs to, or null. */
  private static String resolve(String series, Map<String, String> documented) {
    if (documented.containsKey(series)) {
      return series;
    }
    for (var suffix : HISTOGRAM_SUFFIXES) {
      if (series.endsWith(suffix)) {
        var base = series.substring(0, series.length() - suffix.length());
        if (documented.getOrDefault(base, "").startsWith("histogram")) {
          return base;
        }
      }
    }
    return null;
  }

  @Test
  void metricsDocListsOperatorAndServerMetrics() {
    assertThat(documented())
        .containsKeys(
            "almanac_training_runs_total", "almanac_server_requests_total", "almanac_server_ready")
        .hasSizeGreaterThanOrEqualTo(19);
  }

  @Test
  void alertsUseOnlyDocumentedMetrics() {
    var documented = documented();
    var used = alertMetrics();
    assertThat(used).isNotEmpty();
    assertThat(used)
        .filteredOn(name -> resolve(name, documented) == null)
        .as("undocumented metrics in alerts")
        .isEmpty();
  }

  @Test
  void dashboardUsesOnlyDocumentedMetrics() {
    var documented = documented();
    var used = new TreeSet<String>();
    dashboardExpressions().forEach(e -> used.addAll(metricsIn(e)));
    assertThat(used)
        .filteredOn(name -> resolve(name, documented) == null)
        .as("undocumented metrics in the dashboard")
        .isEmpty();
    var covered = new TreeSet<String>();
    used.forEach(name -> covered.add(resolve(name, documented)));
    assertThat(covered)
        .as("dashboard coverage")
        .containsAll(
            List.of(
                "almanac_training_runs_total",
                "almanac_training_run_duration_seconds",
                "almanac_model_holdout_metric",
                "almanac_promotions_total",
                "almanac_server_model_info",
                "almanac_server_requests_total",
                "almanac_server_request_duration_seconds",
                "almanac_server_batch_size",
                "almanac_forecast_realized_mase",
                "almanac_forecast_holdout_mase",
                "almanac_server_input_drift_psi_max",
                "almanac_server_input_drift_psi",
                "almanac_server_payload_log_dropped_total"));
  }

  @Test
  void histogramQuantilesReadBuckets() {
    var all = new ArrayList<>(dashboardExpressions());
    Yaml.read(Project.read(Project.alertRules()))
        .path("groups")
        .forEach(g -> g.path("rules").forEach(r -> all.add(r.path("expr").asText())));
    assertThat(all.stream().filter(e -> e.contains("histogram_quantile")).toList())
        .isNotEmpty()
        .allMatch(
            e -> e.contains("_bucket") && e.contains(" le"), "aggregates _bucket series by le");
  }

  @Test
  void dashboardIsAGrafanaDashboardWithUniquePanelIds() {
    var dash = Yaml.readJson(Project.read(Project.dashboard()));
    assertThat(dash.path("uid").asText()).isEqualTo("almanac-overview");
    var ids = new ArrayList<Integer>();
    dash.path("panels").forEach(p -> ids.add(p.path("id").asInt()));
    assertThat(ids).hasSizeGreaterThanOrEqualTo(10).doesNotHaveDuplicates();
    dash.path("panels")
        .forEach(
            p -> {
              if (!p.path("type").asText().equals("row")) {
                assertThat(p.path("targets")).as(p.path("title").asText()).isNotEmpty();
                assertThat(p.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
              }
            });
  }
}
