package dev.almanac.charttests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.almanac.testbed.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules: valid, unit-tested with promtool, documented, and the same in the file and the
 * chart.
 */
@Tag("integration")
class AlertRulesTest {
  private static final String RUNBOOK_BASE =
      "https://github.com/almanac-dev/almanac/blob/main/docs/runbooks/";

  static List<JsonNode> alerts() {
    var alerts = new ArrayList<JsonNode>();
    Yaml.read(Project.read(Project.alertRules()))
        .path("groups")
        .forEach(
            g ->
                g.path("rules")
                    .forEach(
                        r -> {
                          if (r.has("alert")) {
                            alerts.add(r);
                          }
                        }));
    return alerts;
  }

  @Test
  void promtoolAcceptsTheRules() {
    var out =
        Command.of(Tools.promtool(), "check", "rules", Project.alertRules().toString()).runOk();
    assertThat(out).contains("SUCCESS: " + alerts().size() + " rules found");
  }

  @Test
  void promtoolUnitTestsPass(@TempDir Path dir) throws IOException {
    Files.copy(Project.alertRules(), dir.resolve("alerts.rules.yaml"));
    Files.writeString(
        dir.resolve("alerts.test.yaml"), Project.resource("promtool/alerts.test.yaml"));
    var out =
        Command.of(Tools.promtool(), "test", "rules", dir.resolve("alerts.test.yaml").toString())
            .runOk();
    assertThat(out).contains("SUCCESS");
  }

  @Test
  void everyAlertIsTestedFiringAndSilent() {
    var fired = new TreeSet<String>();
    var silent = new TreeSet<String>();
    Yaml.read(Project.resource("promtool/alerts.test.yaml"))
        .path("tests")
        .forEach(
            t ->
                t.path("alert_rule_test")
                    .forEach(
                        c -> {
                          (c.path("exp_alerts").isEmpty() ? silent : fired)
                              .add(c.path("alertname").asText());
                        }));
    var names = alerts().stream().map(a -> a.path("alert").asText()).toList();
    assertThat(names).hasSizeGreaterThanOrEqualTo(8);
    assertThat(fired).containsAll(names);
    assertThat(silent).containsAll(names);
  }

  @Test
  void everyAlertHasSeveritySummaryDescriptionAndAnExistingRunbook() {
    var missing = new ArrayList<String>();
    for (var alert : alerts()) {
      var name = alert.path("alert").asText();
      assertThat(alert.path("labels").path("severity").asText())
          .as(name)
          .isIn("critical", "warning", "info");
      assertThat(alert.path("annotations").path("summary").asText()).as(name).isNotBlank();
      assertThat(alert.path("annotations").path("description").asText()).as(name).isNotBlank();
      assertThat(alert.path("annotations").path("runbook_url").asText())
          .as(name)
          .isEqualTo(RUNBOOK_BASE + name + ".md");
      var runbook = Project.docs().resolve("runbooks").resolve(name + ".md");
      if (!Files.exists(runbook)) {
        missing.add(runbook.toString());
      } else {
        assertThat(Project.read(runbook))
            .as(runbook.toString())
            .contains("# " + name, "## Meaning", "## Impact", "## Diagnosis", "## Fix", "kubectl");
      }
    }
    assertThat(missing).as("runbooks").isEmpty();
  }

  @Test
  void chartPrometheusRuleIsTheRulesFile() {
    var rendered =
        Command.of(
                Tools.helm(),
                "template",
                "t",
                Project.chart().toString(),
                "--show-only",
                "templates/prometheusrule.yaml",
                "--set",
                "metrics.prometheusRule.enabled=true")
            .runOk();
    var rule = Yaml.readAll(rendered).get(0);
    assertThat(rule.path("kind").asText()).isEqualTo("PrometheusRule");
    assertThat(rule.path("spec")).isEqualTo(Yaml.read(Project.read(Project.alertRules())));
  }

  @Test
  void runbookBaseUrlCanPointElsewhere() {
    var rendered =
        Command.of(
                Tools.helm(),
                "template",
                "t",
                Project.chart().toString(),
                "--show-only",
                "templates/prometheusrule.yaml",
                "--set",
                "metrics.prometheusRule.enabled=true",
                "--set",
                "metrics.prometheusRule.runbookBaseUrl=https://wiki.example.com/almanac/")
            .runOk();
    Set<String> urls = new HashSet<>();
    Yaml.readAll(rendered)
        .get(0)
        .path("spec")
        .path("groups")
        .forEach(
            g ->
                g.path("rules")
                    .forEach(r -> urls.add(r.path("annotations").path("runbook_url").asText())));
    assertThat(urls)
        .isNotEmpty()
        .allMatch(
            u -> u.startsWith("https://wiki.example.com/almanac/Almanac") && u.endsWith(".md"));
  }
}
