package dev.almanac.demo;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/** Watches the demo's resources and reports each change of stage until everything serves. */
final class DemoProgress {
  private final KubernetesClient client;
  private final String namespace;
  private final Consumer<String> say;
  private final Map<String, String> lastSeen = new HashMap<>();

  DemoProgress(KubernetesClient client, String namespace, Consumer<String> say) {
    this.client = client;
    this.namespace = namespace;
    this.say = say;
  }

  void awaitAllServing(Duration timeout) throws InterruptedException {
    var deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean done = true;
      for (var fp : list("ForecastPipeline")) {
        var status = status(fp);
        var line =
            "pipeline "
                + fp.getMetadata().getName()
                + ": "
                + conditions(status)
                + (status.get("productionVersion") != null
                    ? ", production version " + status.get("productionVersion")
                    : "");
        report("fp/" + fp.getMetadata().getName(), line);
        done &= status.get("productionVersion") != null;
        failIfFailed(fp, status);
      }
      for (var md : list("ModelDeployment")) {
        var status = status(md);
        var line =
            "deployment "
                + md.getMetadata().getName()
                + ": "
                + conditions(status)
                + ", resolved "
                + status.get("resolvedVersion")
                + ", serving "
                + status.get("servingVersion");
        report("mdep/" + md.getMetadata().getName(), line);
        done &=
            status.get("servingVersion") != null
                && Objects.equals(status.get("servingVersion"), status.get("resolvedVersion"));
      }
      if (done) {
        return;
      }
      Thread.sleep(2000);
    }
    throw new IllegalStateException(
        "not everything was serving after "
            + timeout.toMinutes()
            + " minutes; see the logs in the demo state directory and `kubectl get fp,mdep -A`, `kubectl get events -A`");
  }

  private void failIfFailed(GenericKubernetesResource fp, Map<String, Object> status) {
    var runs = status.get("runs");
    if (runs instanceof List<?> list
        && !list.isEmpty()
        && list.get(0) instanceof Map<?, ?> run
        && "Failed".equals(run.get("phase"))
        && status.get("productionVersion") == null) {
      throw new IllegalStateException(
          "pipeline "
              + fp.getMetadata().getName()
              + " run "
              + run.get("name")
              + " failed: "
              + run.get("reason"));
    }
  }

  private void report(String key, String line) {
    if (!line.equals(lastSeen.put(key, line))) {
      say.accept(line);
    }
  }

  private List<GenericKubernetesResource> list(String kind) {
    return client
        .genericKubernetesResources("almanac.dev/v1alpha1", kind)
        .inNamespace(namespace)
        .list()
        .getItems();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(GenericKubernetesResource r) {
    var status = r.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static String conditions(Map<String, Object> status) {
    var parts = new ArrayList<String>();
    if (status.get("conditions") instanceof List<?> list) {
      for (var c : list) {
        if (c instanceof Map<?, ?> m) {
          parts.add(m.get("type") + "=" + m.get("status") + "(" + m.get("reason") + ")");
        }
      }
    }
    return parts.isEmpty() ? "waiting for the operator" : String.join(" ", parts);
  }

  /** The Deployment that serves a ModelDeployment (the one it owns). */
  static String serverDeploymentName(
      KubernetesClient client, String namespace, String modelDeployment) {
    return client.apps().deployments().inNamespace(namespace).list().getItems().stream()
        .filter(
            d ->
                d.getMetadata().getOwnerReferences().stream()
                    .anyMatch(
                        o ->
                            "ModelDeployment".equals(o.getKind())
                                && modelDeployment.equals(o.getName())))
        .map(d -> d.getMetadata().getName())
        .findFirst()
        .orElse(modelDeployment);
  }

  static List<String> productionSummary(KubernetesClient client, String namespace) {
    var lines = new ArrayList<String>();
    for (var fp :
        client
            .genericKubernetesResources("almanac.dev/v1alpha1", "ForecastPipeline")
            .inNamespace(namespace)
            .list()
            .getItems()) {
      lines.add(
          "  "
              + fp.getMetadata().getName()
              + ": production version "
              + status(fp).get("productionVersion"));
    }
    return lines;
  }
}
