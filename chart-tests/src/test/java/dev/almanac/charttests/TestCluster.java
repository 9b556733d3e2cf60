package dev.almanac.charttests;

import dev.almanac.testbed.KubeApiServer;
import dev.almanac.testbed.Tools;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shared real kube-apiserver prepared for the chart: Almanac CRDs (from the crds module's jar),
 * stand-ins for the Prometheus Operator and Argo CD CRDs, and the namespaces the chart and the
 * examples use. The release namespace enforces the restricted Pod Security Standard, so a dry run
 * of a pod that breaks it fails, and warns for workloads (Deployments, Jobs) that would create such
 * pods.
 */
final class TestCluster {
  static final String RELEASE_NAMESPACE = "almanac-system";
  static final String EXAMPLES_NAMESPACE = "almanac-demo";
  static final List<String> NAMESPACES =
      List.of(
          RELEASE_NAMESPACE,
          EXAMPLES_NAMESPACE,
          "team-a",
          "team-b",
          "monitoring",
          "argocd",
          "almanac-dev",
          "almanac-prod");
  private static final List<String> ALMANAC_CRDS =
      List.of("forecastpipelines.almanac.dev-v1.yml", "modeldeployments.almanac.dev-v1.yml");
  private static final List<String> STAND_IN_CRDS =
      List.of(
          "servicemonitors.monitoring.coreos.com.yaml",
          "prometheusrules.monitoring.coreos.com.yaml",
          "applications.argoproj.io.yaml");
  private static TestCluster instance;

  private final KubeApiServer kube;

  private TestCluster(KubeApiServer kube) {
    this.kube = kube;
  }

  static synchronized TestCluster get() {
    if (instance == null) {
      var kube = KubeApiServer.shared();
      var cluster = new TestCluster(kube);
      var crdArgs =
          new ArrayList<>(
              List.of(
                  "apply", "--server-side", "--force-conflicts", "--field-manager=chart-tests"));
      ALMANAC_CRDS.forEach(
          crd ->
              crdArgs.addAll(
                  List.of("-f", cluster.resourceFile("/META-INF/fabric8/" + crd).toString())));
      STAND_IN_CRDS.forEach(
          crd -> crdArgs.addAll(List.of("-f", cluster.resourceFile("/crds/" + crd).toString())));
      cluster.kubectl(crdArgs.toArray(String[]::new)).runOk();
      // kubectl wait rather than KubeApiServer.applyCrd: its condition check trips over a status
      // without conditions.
      cluster
          .kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd", "--all")
          .runOk();
      for (var ns : NAMESPACES) {
        var labels =
            Map.of(
                "pod-security.kubernetes.io/enforce",
                "restricted",
                "pod-security.kubernetes.io/warn",
                "restricted");
        kube.client()
            .resource(
                new NamespaceBuilder()
                    .withNewMetadata()
                    .withName(ns)
                    .withLabels(labels)
                    .endMetadata()
                    .build())
            .forceConflicts()
            .serverSideApply();
      }
      instance = cluster;
    }
    return instance;
  }

  KubeApiServer kube() {
    return kube;
  }

  Command kubectl(String... args) {
    var all = new ArrayList<String>();
    all.add("--kubeconfig=" + kube.kubeconfigFile());
    all.addAll(List.of(args));
    return Command.of(Tools.kubectl()).withArgs(all);
  }

  /**
   * {@code kubectl apply --dry-run=server} of a manifest stream into {@code namespace} (null: the
   * manifests name their namespaces); returns stdout + stderr, where kubectl prints warnings.
   */
  String dryRunApply(String manifests, String namespace) {
    var args =
        new ArrayList<>(
            List.of(
                "apply",
                "--dry-run=server",
                "--server-side",
                "--field-manager=chart-tests",
                "-f",
                "-"));
    if (namespace != null) {
      args.add("--namespace=" + namespace);
    }
    var result = kubectl(args.toArray(String[]::new)).withStdin(manifests).run();
    if (result.exitCode() != 0) {
      throw new AssertionError(result.describe());
    }
    return result.output();
  }

  private Path resourceFile(String name) {
    try {
      var file = Files.createTempFile("almanac-crd", ".yaml");
      file.toFile().deleteOnExit();
      Files.writeString(file, Project.resource(name));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
