package dev.almanac.operator.pipeline;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RunObjectStore} on the API server. Run objects are immutable: created once, never updated.
 */
final class KubernetesRunObjectStore implements RunObjectStore {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesRunObjectStore.class);

  private final KubernetesClient client;

  KubernetesRunObjectStore(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void create(ConfigMap spec, Job job) {
    createOnce(spec);
    createOnce(job);
  }

  @Override
  public void delete(String namespace, String run) {
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .withName(run)
        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
        .delete();
    client.configMaps().inNamespace(namespace).withName(run).delete();
  }

  /** A 409 means a previous operator created the object and died before recording the run. */
  private void createOnce(HasMetadata object) {
    try {
      client.resource(object).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      LOG.info(
          "{}/{}: {} {} already exists, adopting it",
          object.getMetadata().getNamespace(),
          object.getMetadata().getName(),
          object.getKind(),
          object.getMetadata().getName());
    }
  }
}
