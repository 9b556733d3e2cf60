package dev.almanac.operator.pipeline;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
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

  /**
   * Create, or replace the operator's own object: the policy follows the pipeline's URIs at every
   * run. (A replace, not server-side apply: nobody else owns fields of this object.)
   */
  @Override
  public void applyPolicy(NetworkPolicy policy) {
    client.resource(policy).createOr(NonDeletingOperation::update);
  }

  @Override
  public void deletePolicy(String namespace, String name) {
    client.network().v1().networkPolicies().inNamespace(namespace).withName(name).delete();
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
