package dev.almanac.operator.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.almanac.testbed.Tools;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The per-deployment PrometheusRule the operator writes is the chart's cluster-wide {@code
 * almanac.serving} group scoped to one Service: same alerts, severities, durations, runbooks,
 * metrics, windows and thresholds. Only the label scope and the aggregation labels differ.
 */
class ServingAlertsMatchChartTest {
  /**
   * Chart alerts on operator metrics, which a per-deployment rule of the model server cannot carry.
   */
  private static final Set<String> CLUSTER_ONLY = Set.of("AlmanacDeploymentVersionMismatch");

  @Test
  void operatorRulesAreTheChartServingGroupScopedToOneService() throws IOException {
    var md = ModelDeployments.followingAlias("ml", "covid", "covid-cases", "production");
    var operator =
        PrometheusRuleDependent.desired(md).getSpec().getGroups().get(0).getRules().stream()
            .collect(Collectors.toMap(Rule::getAlert, r -> r, (a, b) -> a, LinkedHashMap::new));
    var chart = chartServingRules();

    var expected = new LinkedHashMap<>(chart);
    CLUSTER_ONLY.forEach(expected::remove);
    assertThat(operator.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    operator.forEach(
        (alert, rule) -> {
          var twin = chart.get(alert);
          assertThat(rule.getLabels().get("severity"))
              .as(alert + " severity")
              .isEqualTo(twin.path("labels").path("severity").asText());
          assertThat(rule.getFor())
              .as(alert + " for")
              .isEqualTo(twin.has("for") ? twin.path("for").asText() : null);
          assertThat(rule.getAnnotations().get("runbook_url"))
              .as(alert + " runbook")
              .isEqualTo(twin.path("annotations").path("runbook_url").asText());
          assertThat(unscoped(rule.getExpr().getStrVal()))
              .as(alert + " expression")
              .isEqualTo(unscoped(twin.path("expr").asText()));
        });
  }

  @Test
  void unscopingKeepsWhatMatters() {
    assertThat(unscoped("sum by (namespace, model) (rate(m{code=~\"5..\"}[5m])) > 0.05"))
        .isEqualTo(
            unscoped("sum(rate(m{namespace=\"ml\",service=\"covid\",code=~\"5..\"}[5m])) > 0.05"))
        .isNotEqualTo(unscoped("sum(rate(m{code=~\"5..\"}[10m])) > 0.05"))
        .isNotEqualTo(unscoped("sum(rate(m{code=~\"5..\"}[5m])) > 0.5"));
  }

  /** The expression without its service scope, aggregation labels and whitespace. */
  static String unscoped(String expr) {
    return expr.replaceAll("\\s+", "")
        .replaceAll("by\\([^)]*\\)", "")
        .replaceAll("(namespace|service)=\"[^\"]*\",?", "")
        .replace(",}", "}")
        .replace("{}", "");
  }

  private static Map<String, JsonNode> chartServingRules() throws IOException {
    var file = Tools.projectDir().resolve("helm/almanac/files/alerts.rules.yaml").toFile();
    var rules = new LinkedHashMap<String, JsonNode>();
    for (var group : new ObjectMapper(new YAMLFactory()).readTree(file).path("groups")) {
      if (group.path("name").asText().equals("almanac.serving")) {
        group.path("rules").forEach(r -> rules.put(r.path("alert").asText(), r));
      }
    }
    assertThat(rules).as("the chart's almanac.serving group").isNotEmpty();
    return rules;
  }
}
