package dev.almanac.nodetests;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records pod create -> Ready of every model-server pod this watch sees added, under one
 * measurement name: the loop's first servers start together, a rolling update's one at a time.
 */
final class ServerPodStarts implements ResourceEventHandler<Pod>, AutoCloseable {
  private final String measurement;
  private final Map<String, Long> added = new ConcurrentHashMap<>();
  private final Map<String, Boolean> measured = new ConcurrentHashMap<>();
  private final SharedIndexInformer<Pod> informer;

  private ServerPodStarts(KubernetesClient client, String namespace, String measurement) {
    this.measurement = measurement;
    this.informer = client.pods().inNamespace(namespace).inform(this);
  }

  static ServerPodStarts watch(KubernetesClient client, String namespace, String measurement) {
    return new ServerPodStarts(client, namespace, measurement);
  }

  @Override
  public void onAdd(Pod pod) {
    if (ready(pod)) {
      // Ready before this watch began (the informer lists what exists): not a start it saw
      measured.put(pod.getMetadata().getUid(), true);
      return;
    }
    added.putIfAbsent(pod.getMetadata().getUid(), System.nanoTime());
    onUpdate(null, pod);
  }

  @Override
  public void onUpdate(Pod old, Pod pod) {
    var uid = pod.getMetadata().getUid();
    boolean server =
        "model-server".equals(pod.getMetadata().getLabels().get("app.kubernetes.io/component"));
    var since = added.get(uid);
    if (server && ready(pod) && since != null && measured.putIfAbsent(uid, true) == null) {
      NodeCluster.MEASUREMENTS.record(measurement, Duration.ofNanos(System.nanoTime() - since));
    }
  }

  static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Override
  public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
    added.remove(pod.getMetadata().getUid());
  }

  @Override
  public void close() {
    informer.close();
  }
}
