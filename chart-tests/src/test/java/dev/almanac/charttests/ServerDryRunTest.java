package dev.almanac.charttests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.testbed.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the chart renders and every manifest in {@code examples/} is accepted by a real
 * kube-apiserver ({@code kubectl apply --dry-run=server}): schemas, CEL rules of the Almanac CRDs,
 * RBAC objects, and the restricted Pod Security Standard (no PodSecurity warning for any pod
 * template).
 */
@Tag("integration")
class ServerDryRunTest {
  private static TestCluster cluster;

  @BeforeAll
  static void cluster() {
    cluster = TestCluster.get();
  }

  static Stream<String> valuesFiles() {
    var files = new ArrayList<String>();
    files.add("default");
    Project.ciValues().forEach(p -> files.add(p.getFileName().toString()));
    return files.stream();
  }

  @ParameterizedTest(name = "helm template with {0}")
  @MethodSource("valuesFiles")
  void chartAppliesWithoutWarnings(String values) {
    var args =
        new ArrayList<>(
            List.of(
                "template",
                "almanac",
                Project.chart().toString(),
                "-n",
                TestCluster.RELEASE_NAMESPACE));
    if (!values.equals("default")) {
      args.addAll(List.of("-f", Project.chart().resolve("ci").resolve(values).toString()));
    }
    var manifests = Command.of(Tools.helm()).withArgs(args).runOk();
    var out = cluster.dryRunApply(manifests, null);
    assertThat(out)
        .contains("deployment.apps/almanac-operator serverside-applied (server dry run)")
        .contains("pod/almanac-operator-test-readyz serverside-applied (server dry run)")
        .doesNotContainIgnoringCase("warning");
  }

  @Test
  void monitoringValuesRenderServiceMonitorRuleDashboardAndNetworkPolicy() {
    var manifests =
        Command.of(
                Tools.helm(),
                "template",
                "almanac",
                Project.chart().toString(),
                "-n",
                TestCluster.RELEASE_NAMESPACE,
                "-f",
                Project.chart().resolve("ci/monitoring-values.yaml").toString())
            .runOk();
    var out = cluster.dryRunApply(manifests, null);
    assertThat(out)
        .contains(
            "servicemonitor.monitoring.coreos.com/almanac-operator serverside-applied",
            "prometheusrule.monitoring.coreos.com/almanac-alerts serverside-applied",
            "configmap/almanac-dashboard serverside-applied",
            "networkpolicy.networking.k8s.io/almanac-operator serverside-applied");
    assertThat(manifests).contains("grafana_dashboard: \"1\"", "honorLabels: true");
  }

  @Test
  void podSecurityAdmissionWouldCatchAnUnrestrictedPod() {
    // Proves the "no warning" assertions above can fail: weaken the pod and the server says so.
    var manifests =
        Command.of(
                Tools.helm(),
                "template",
                "almanac",
                Project.chart().toString(),
                "-n",
                TestCluster.RELEASE_NAMESPACE,
                "--show-only",
                "templates/deployment.yaml",
                "--set-json",
                "securityContext={\"allowPrivilegeEscalation\":true}")
            .runOk();
    var out = cluster.dryRunApply(manifests, null);
    assertThat(out)
        .contains(
            "would violate PodSecurity \"restricted:latest\"", "allowPrivilegeEscalation != false");
  }

  static Stream<Path> exampleManifests() {
    return Project.list(
        Project.examples(),
        p -> {
          var name = p.getFileName().toString();
          return (name.endsWith(".yaml") || name.endsWith(".yml"))
              && !name.equals("kustomization.yaml");
        })
        .stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exampleManifests")
  void everyExampleAppliesAsIs(Path manifest) {
    var relative = Project.examples().relativize(manifest).toString();
    var namespace =
        relative.startsWith("kind/")
            ? TestCluster.RELEASE_NAMESPACE
            : relative.startsWith("gitops/") ? "argocd" : TestCluster.EXAMPLES_NAMESPACE;
    var out = cluster.dryRunApply(Project.read(manifest), namespace);
    assertThat(out).contains("(server dry run)").doesNotContainIgnoringCase("warning");
  }

  @ParameterizedTest(name = "overlay {0}")
  @MethodSource("overlays")
  void kustomizeOverlaysBuildAndApply(String overlay, @TempDir Path dir) throws IOException {
    var built =
        cluster
            .kubectl(
                "kustomize",
                Project.examples().resolve("gitops/overlays").resolve(overlay).toString())
            .runOk();
    assertThat(built)
        .contains(
            "kind: Application",
            "namespace: almanac-" + overlay,
            "helm/almanac",
            "examples/covid-forecast");
    var out = cluster.dryRunApply(built, null);
    assertThat(out)
        .contains(
            "application.argoproj.io/almanac-operator-"
                + overlay
                + " serverside-applied (server dry run)");
    // The chart values an overlay passes through Argo CD must satisfy the chart's schema too.
    var operatorApp =
        Yaml.readAll(built).stream()
            .filter(d -> d.path("metadata").path("name").asText().startsWith("almanac-operator"))
            .findFirst()
            .orElseThrow();
    var values = dir.resolve("values-" + overlay + ".yaml");
    Files.writeString(
        values,
        Yaml.YAML.writeValueAsString(
            operatorApp.path("spec").path("source").path("helm").path("valuesObject")));
    Command.of(
            Tools.helm(), "lint", "--strict", Project.chart().toString(), "-f", values.toString())
        .runOk();
  }

  static Stream<String> overlays() {
    return Stream.of("dev", "prod");
  }
}
