package dev.almanac.operator.deployment;

import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.operator.Labels;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * policy/v1 PodDisruptionBudget of the model servers: a node drain or cluster upgrade evicts at
 * most one replica at a time, so a deployment with two or more keeps serving. With one replica it
 * never blocks a drain (maxUnavailable 1, not minAvailable 1).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_BY_SELECTOR))
public final class ServerDisruptionBudgetDependent
    extends CRUDKubernetesDependentResource<PodDisruptionBudget, ModelDeployment> {
  public static final String NAME = "server-disruption-budget";

  public ServerDisruptionBudgetDependent() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected PodDisruptionBudget desired(ModelDeployment md, Context<ModelDeployment> context) {
    return desired(md);
  }

  public static PodDisruptionBudget desired(ModelDeployment md) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(ServerNames.meta(md))
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(1))
        .withNewSelector()
        .withMatchLabels(ServerNames.selector(md))
        .endSelector()
        .endSpec()
        .build();
  }
}
