package dev.almanac.operator.deployment;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.TimeUnit;

/**
 * What the test bed lacks: the test plays the Deployment controller + kubelet by writing the status
 * they would write, and installs stand-ins of the Prometheus Operator CRDs.
 */
final class ClusterFakes {
  private ClusterFakes() {}

  /**
   * Every pod of the current template is up and ready, as the Deployment controller would report.
   */
  static void rolledOut(KubernetesClient client, String namespace, String name) {
    var deployments = client.apps().deployments().inNamespace(namespace);
    var d = deployments.withName(name).get();
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    d.setStatus(
        new DeploymentStatusBuilder()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withReplicas(replicas)
            .withUpdatedReplicas(replicas)
            .withReadyReplicas(replicas)
            .withAvailableReplicas(replicas)
            .withConditions(
                new DeploymentConditionBuilder()
                    .withType("Available")
                    .withStatus("True")
                    .withReason("MinimumReplicasAvailable")
                    .build())
            .build());
    deployments.resource(d).updateStatus();
  }

  /**
   * A schemaless stand-in for a monitoring.coreos.com/v1 CRD, enough for the apiserver to serve the
   * type.
   */
  static CustomResourceDefinition monitoringCrd(
      KubernetesClient client, String kind, String plural) {
    var crd =
        new CustomResourceDefinitionBuilder()
            .withNewMetadata()
            .withName(plural + ".monitoring.coreos.com")
            .endMetadata()
            .withNewSpec()
            .withGroup("monitoring.coreos.com")
            .withScope("Namespaced")
            .withNewNames()
            .withKind(kind)
            .withPlural(plural)
            .withSingular(kind.toLowerCase())
            .withListKind(kind + "List")
            .endNames()
            .addNewVersion()
            .withName("v1")
            .withServed(true)
            .withStorage(true)
            .withNewSchema()
            .withNewOpenAPIV3Schema()
            .withType("object")
            .withXKubernetesPreserveUnknownFields(true)
            .endOpenAPIV3Schema()
            .endSchema()
            .endVersion()
            .endSpec()
            .build();
    client.resource(crd).serverSideApply();
    return client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(crd.getMetadata().getName())
        .waitUntilCondition(
            c ->
                c != null
                    && c.getStatus() != null
                    && c.getStatus().getConditions() != null
                    && c.getStatus().getConditions().stream()
                        .anyMatch(
                            k -> "Established".equals(k.getType()) && "True".equals(k.getStatus())),
            60,
            TimeUnit.SECONDS);
  }
}
