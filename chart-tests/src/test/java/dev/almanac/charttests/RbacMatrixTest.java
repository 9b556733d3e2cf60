package dev.almanac.charttests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.testbed.Tools;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC applied for real, then asked with {@code kubectl auth can-i
 * --as=<ServiceAccount>}: every verb the operator needs is allowed, and what it must never do (read
 * Secrets, exec into pods, change CRDs or RBAC, act outside its namespaces) is denied.
 */
@Tag("integration")
class RbacMatrixTest {
  private static final String CLUSTER_RELEASE_NS = TestCluster.RELEASE_NAMESPACE;
  private static final String CLUSTER_SA =
      "system:serviceaccount:" + CLUSTER_RELEASE_NS + ":almanac-operator";
  private static final String SCOPED_RELEASE_NS = "almanac-dev";
  private static final String SCOPED_SA =
      "system:serviceaccount:" + SCOPED_RELEASE_NS + ":scoped-almanac-operator";
  private static final String ANY_NS = TestCluster.EXAMPLES_NAMESPACE;
  private static TestCluster cluster;

  /**
   * One question: may {@code user} do {@code verb} on {@code resource} in {@code namespace} (null:
   * cluster scope).
   */
  record Check(
      String user,
      String verb,
      String resource,
      String subresource,
      String namespace,
      boolean allowed) {
    static Check allow(String user, String verb, String resource, String namespace) {
      return new Check(user, verb, resource, null, namespace, true);
    }

    static Check deny(String user, String verb, String resource, String namespace) {
      return new Check(user, verb, resource, null, namespace, false);
    }

    Check sub(String name) {
      return new Check(user, verb, resource, name, namespace, allowed);
    }

    @Override
    public String toString() {
      return user.substring(user.lastIndexOf(':') + 1)
          + " "
          + verb
          + " "
          + resource
          + (subresource == null ? "" : "/" + subresource)
          + " in "
          + (namespace == null ? "<cluster>" : namespace)
          + " -> "
          + (allowed ? "yes" : "no");
    }
  }

  @BeforeAll
  static void applyRbac() {
    cluster = TestCluster.get();
    apply("almanac", CLUSTER_RELEASE_NS);
    apply(
        "scoped",
        SCOPED_RELEASE_NS,
        "--set",
        "watchNamespaces={team-a,team-b}",
        "--set",
        "rbac.aggregateToDefaultRoles=false");
  }

  private static void apply(String release, String namespace, String... set) {
    var args =
        new ArrayList<>(
            List.of(
                "template",
                release,
                Project.chart().toString(),
                "-n",
                namespace,
                "--show-only",
                "templates/rbac.yaml",
                "--show-only",
                "templates/serviceaccount.yaml"));
    args.addAll(List.of(set));
    var manifests = Command.of(Tools.helm()).withArgs(args).runOk();
    cluster
        .kubectl("apply", "--server-side", "--field-manager=chart-tests", "-f", "-")
        .withStdin(manifests)
        .runOk();
  }

  @Test
  void clusterWideOperatorMayDoWhatItNeedsAnywhere() {
    var u = CLUSTER_SA;
    var checks = new ArrayList<Check>();
    for (var res : List.of("forecastpipelines.almanac.dev", "modeldeployments.almanac.dev")) {
      for (var verb : List.of("get", "list", "watch", "patch", "update")) {
        checks.add(Check.allow(u, verb, res, ANY_NS));
      }
      checks.add(Check.allow(u, "patch", res, ANY_NS).sub("status"));
      checks.add(Check.allow(u, "update", res, ANY_NS).sub("status"));
      checks.add(Check.allow(u, "update", res, ANY_NS).sub("finalizers"));
    }
    for (var res :
        List.of(
            "jobs.batch",
            "configmaps",
            "deployments.apps",
            "services",
            "horizontalpodautoscalers.autoscaling",
            "poddisruptionbudgets.policy",
            "networkpolicies.networking.k8s.io",
            "servicemonitors.monitoring.coreos.com",
            "prometheusrules.monitoring.coreos.com")) {
      for (var verb : List.of("get", "list", "watch", "create", "patch", "update", "delete")) {
        checks.add(Check.allow(u, verb, res, ANY_NS));
      }
    }
    for (var verb : List.of("get", "list", "watch")) {
      checks.add(Check.allow(u, verb, "pods", ANY_NS));
      checks.add(Check.allow(u, verb, "customresourcedefinitions.apiextensions.k8s.io", null));
    }
    checks.add(Check.allow(u, "create", "events", ANY_NS));
    checks.add(Check.allow(u, "get", "events", ANY_NS));
    checks.add(Check.allow(u, "update", "events", ANY_NS));
    checks.add(Check.allow(u, "patch", "events.events.k8s.io", ANY_NS));
    for (var verb : List.of("get", "create", "update")) {
      checks.add(Check.allow(u, verb, "leases.coordination.k8s.io", CLUSTER_RELEASE_NS));
    }
    assertMatrix(checks);
  }

  @Test
  void clusterWideOperatorIsDeniedWhatItMustNeverDo() {
    var u = CLUSTER_SA;
    var checks = new ArrayList<Check>();
    for (var ns : List.of(ANY_NS, CLUSTER_RELEASE_NS)) {
      for (var verb : List.of("get", "list", "watch", "create", "update")) {
        checks.add(Check.deny(u, verb, "secrets", ns));
      }
    }
    checks.add(Check.deny(u, "create", "pods", ANY_NS).sub("exec"));
    checks.add(Check.deny(u, "get", "pods", ANY_NS).sub("log"));
    checks.add(Check.deny(u, "create", "pods", ANY_NS));
    checks.add(Check.deny(u, "delete", "pods", ANY_NS));
    for (var verb : List.of("create", "update", "patch", "delete")) {
      checks.add(Check.deny(u, verb, "customresourcedefinitions.apiextensions.k8s.io", null));
    }
    checks.add(Check.deny(u, "create", "forecastpipelines.almanac.dev", ANY_NS));
    checks.add(Check.deny(u, "delete", "forecastpipelines.almanac.dev", ANY_NS));
    checks.add(Check.deny(u, "delete", "modeldeployments.almanac.dev", ANY_NS));
    checks.add(Check.deny(u, "create", "leases.coordination.k8s.io", ANY_NS));
    checks.add(Check.deny(u, "create", "serviceaccounts", ANY_NS));
    checks.add(Check.deny(u, "create", "rolebindings.rbac.authorization.k8s.io", ANY_NS));
    checks.add(Check.deny(u, "create", "clusterroles.rbac.authorization.k8s.io", null));
    checks.add(Check.deny(u, "deletecollection", "jobs.batch", ANY_NS));
    checks.add(Check.deny(u, "list", "nodes", null));
    assertMatrix(checks);
  }

  @Test
  void workloadServiceAccountsHaveNoApiAccess() {
    var checks = new ArrayList<Check>();
    for (var sa : List.of("almanac-trainer", "almanac-model-server")) {
      var u = "system:serviceaccount:" + CLUSTER_RELEASE_NS + ":" + sa;
      for (var res :
          List.of(
              "secrets",
              "configmaps",
              "pods",
              "forecastpipelines.almanac.dev",
              "modeldeployments.almanac.dev")) {
        checks.add(Check.deny(u, "get", res, CLUSTER_RELEASE_NS));
        checks.add(Check.deny(u, "list", res, CLUSTER_RELEASE_NS));
      }
      checks.add(Check.deny(u, "create", "jobs.batch", CLUSTER_RELEASE_NS));
    }
    assertMatrix(checks);
    var token =
        cluster
            .kubectl(
                "get",
                "serviceaccount",
                "almanac-trainer",
                "-n",
                CLUSTER_RELEASE_NS,
                "-o",
                "jsonpath={.automountServiceAccountToken}")
            .runOk();
    assertThat(token).isEqualTo("false");
  }

  @Test
  void namespacedOperatorStaysInsideItsNamespaces() {
    var u = SCOPED_SA;
    var checks = new ArrayList<Check>();
    for (var ns : List.of("team-a", "team-b")) {
      checks.add(Check.allow(u, "list", "forecastpipelines.almanac.dev", ns));
      checks.add(Check.allow(u, "watch", "modeldeployments.almanac.dev", ns));
      checks.add(Check.allow(u, "patch", "forecastpipelines.almanac.dev", ns).sub("status"));
      checks.add(Check.allow(u, "create", "jobs.batch", ns));
      checks.add(Check.allow(u, "create", "deployments.apps", ns));
      checks.add(Check.deny(u, "get", "secrets", ns));
    }
    checks.add(Check.allow(u, "update", "leases.coordination.k8s.io", SCOPED_RELEASE_NS));
    checks.add(Check.allow(u, "list", "customresourcedefinitions.apiextensions.k8s.io", null));
    checks.add(Check.deny(u, "list", "forecastpipelines.almanac.dev", ANY_NS));
    checks.add(Check.deny(u, "create", "jobs.batch", ANY_NS));
    checks.add(Check.deny(u, "list", "forecastpipelines.almanac.dev", null));
    checks.add(Check.deny(u, "list", "modeldeployments.almanac.dev", SCOPED_RELEASE_NS));
    checks.add(Check.deny(u, "create", "leases.coordination.k8s.io", "team-a"));
    checks.add(Check.deny(u, "delete", "customresourcedefinitions.apiextensions.k8s.io", null));
    assertMatrix(checks);
    var trainer =
        cluster
            .kubectl("get", "serviceaccount", "almanac-trainer", "-n", "team-b", "-o", "name")
            .runOk();
    assertThat(trainer.strip()).isEqualTo("serviceaccount/almanac-trainer");
  }

  @Test
  void usersGetAlmanacResourcesThroughTheBuiltInRoles() {
    var rule =
        cluster
            .kubectl("get", "clusterrole", "almanac-edit", "-o", "jsonpath={.metadata.labels}")
            .runOk();
    assertThat(rule).contains("rbac.authorization.k8s.io/aggregate-to-edit");
  }

  private void assertMatrix(List<Check> checks) {
    // One kubectl process per question; a few at a time keeps the matrix fast on two cores.
    var pool = Executors.newFixedThreadPool(2);
    try {
      var answers = new ArrayList<Future<String>>();
      for (var check : checks) {
        answers.add(pool.submit(() -> wrongAnswer(check)));
      }
      var wrong = new ArrayList<String>();
      for (var answer : answers) {
        var problem = answer.get(2, TimeUnit.MINUTES);
        if (problem != null) {
          wrong.add(problem);
        }
      }
      assertThat(wrong).as("RBAC answers that differ from the expected matrix").isEmpty();
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError("kubectl auth can-i failed", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** null when the API server answers as expected, else what went wrong. */
  private String wrongAnswer(Check check) {
    var args =
        new ArrayList<>(
            List.of("auth", "can-i", check.verb(), check.resource(), "--as=" + check.user()));
    if (check.subresource() != null) {
      args.add("--subresource=" + check.subresource());
    }
    args.add(check.namespace() == null ? "--all-namespaces" : "--namespace=" + check.namespace());
    var answer = cluster.kubectl(args.toArray(String[]::new)).run();
    var text = answer.stdout().strip();
    if (!text.equals("yes") && !text.equals("no")) {
      return check + ": unexpected answer " + answer.describe();
    }
    var yes = text.equals("yes");
    return yes == check.allowed() ? null : check + " but was " + text;
  }
}
