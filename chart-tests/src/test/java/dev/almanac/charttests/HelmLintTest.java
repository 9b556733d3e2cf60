package dev.almanac.charttests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.testbed.Tools;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code helm lint --strict} with every values file, and the schema's answer to bad values. */
@Tag("integration")
class HelmLintTest {
  private static final String EXPECT_PREFIX = "# expect: ";

  static Stream<Path> ciValues() {
    return Project.ciValues().stream();
  }

  static Stream<Path> badValues() {
    return Project.list(
        Path.of(HelmLintTest.class.getResource("/bad-values").getPath()),
        p -> p.toString().endsWith(".yaml"))
        .stream();
  }

  @Test
  void lintsStrictWithDefaultValues() {
    var out = Command.of(Tools.helm(), "lint", "--strict", Project.chart().toString()).runOk();
    assertThat(out).contains("0 chart(s) failed");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ciValues")
  void lintsStrictWithExampleValues(Path values) {
    var out =
        Command.of(
                Tools.helm(),
                "lint",
                "--strict",
                Project.chart().toString(),
                "-f",
                values.toString())
            .runOk();
    assertThat(out).contains("0 chart(s) failed");
  }

  @Test
  void hasSeveralExampleValuesFiles() {
    assertThat(Project.ciValues())
        .extracting(p -> p.getFileName().toString())
        .contains(
            "namespaced-values.yaml", "leader-election-values.yaml", "monitoring-values.yaml");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void rejectsBadValuesWithAClearMessage(Path values) {
    var expected =
        Project.read(values)
            .lines()
            .filter(l -> l.startsWith(EXPECT_PREFIX))
            .findFirst()
            .map(l -> l.substring(EXPECT_PREFIX.length()))
            .orElseThrow(() -> new AssertionError(values + " has no '# expect: ' line"));
    var result =
        Command.of(
                Tools.helm(), "template", "t", Project.chart().toString(), "-f", values.toString())
            .run();
    assertThat(result.exitCode()).as(result.describe()).isNotZero();
    assertThat(result.stderr()).contains(expected);
  }

  @Test
  void schemaRejectsAtLeastFiveBadValuesFiles() {
    var schemaFailures =
        badValues()
            .filter(
                values -> {
                  var result =
                      Command.of(
                              Tools.helm(),
                              "lint",
                              "--strict",
                              Project.chart().toString(),
                              "-f",
                              values.toString())
                          .run();
                  return result.exitCode() != 0
                      && result.output().contains("don't meet the specifications of the schema");
                })
            .toList();
    assertThat(schemaFailures).hasSizeGreaterThanOrEqualTo(5);
  }

  @Test
  void moreThanOneReplicaTurnsLeaderElectionOnAndRollsUpdates() {
    var one = Command.of(Tools.helm(), "template", "t", Project.chart().toString()).runOk();
    var two =
        Command.of(Tools.helm(), "template", "t", Project.chart().toString(), "--set", "replicas=2")
            .runOk();
    assertThat(one)
        .contains("type: Recreate")
        .containsPattern("name: ALMANAC_LEADER_ELECTION\\s+value: \"false\"");
    assertThat(two)
        .contains("type: RollingUpdate")
        .containsPattern("name: ALMANAC_LEADER_ELECTION\\s+value: \"true\"");
  }

  /**
   * The model servers' NetworkPolicies need the monitoring namespace and the operator's pod labels
   * (the only peer of a server's admin port): the operator gets both, the labels matching its pods.
   */
  @Test
  void theOperatorLearnsTheMonitoringNamespaceAndItsOwnPodLabels() {
    var out =
        Command.of(
                Tools.helm(),
                "template",
                "rel",
                Project.chart().toString(),
                "--show-only",
                "templates/deployment.yaml",
                "--set",
                "modelServers.networkPolicy.monitoringNamespace=prometheus")
            .runOk();
    assertThat(out)
        .containsPattern("name: ALMANAC_MONITORING_NAMESPACE\\s+value: \"prometheus\"")
        .containsPattern(
            "name: ALMANAC_OPERATOR_POD_LABELS\\s+value: \"app.kubernetes.io/component=operator,"
                + "app.kubernetes.io/instance=rel,app.kubernetes.io/name=almanac\"");
    // the same labels select the operator's pods
    assertThat(out)
        .contains("app.kubernetes.io/component: operator")
        .contains("app.kubernetes.io/instance: rel")
        .contains("app.kubernetes.io/name: almanac");
    var bad =
        Command.of(
                Tools.helm(),
                "template",
                "rel",
                Project.chart().toString(),
                "--set",
                "modelServers.networkPolicy.monitoringNamespace=Not_A_Namespace")
            .run();
    assertThat(bad.exitCode()).isNotZero();
    assertThat(bad.output()).contains("monitoringNamespace");
  }

  @Test
  void digestWinsOverTag() {
    var out =
        Command.of(
                Tools.helm(),
                "template",
                "t",
                Project.chart().toString(),
                "--set",
                "image.tag=9.9.9",
                "--set",
                "image.digest=sha256:" + "a".repeat(64))
            .runOk();
    assertThat(out)
        .contains("image: \"ghcr.io/almanac-dev/almanac-operator@sha256:" + "a".repeat(64) + "\"")
        .doesNotContain("almanac-operator:9.9.9");
  }

  @Test
  void notesTellWhatToDoNext() {
    var out =
        Command.of(
                Tools.helm(),
                "install",
                "t",
                Project.chart().toString(),
                "--dry-run=client",
                "-n",
                "almanac-system")
            .runOk();
    assertThat(out)
        .contains("helm test t -n almanac-system", "examples/secrets/", "docs/upgrading.md");
  }
}
