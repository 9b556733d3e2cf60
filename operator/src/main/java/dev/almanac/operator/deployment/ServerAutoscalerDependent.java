package dev.almanac.operator.deployment;

import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.operator.Labels;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * autoscaling/v2 HPA on CPU, present only while {@code spec.autoscaling} is set (the precondition
 * deletes it when the field goes away; replicas then come from {@code spec.replicas} again).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_BY_SELECTOR))
public final class ServerAutoscalerDependent
    extends CRUDKubernetesDependentResource<HorizontalPodAutoscaler, ModelDeployment> {
  public static final String NAME = "server-autoscaler";
  static final int DEFAULT_MIN_REPLICAS = 1;
  static final int DEFAULT_CPU_PERCENT = 70;

  public ServerAutoscalerDependent() {
    super(HorizontalPodAutoscaler.class);
  }

  /** Reconcile precondition: autoscaling requested. */
  public static final class Enabled implements Condition<HorizontalPodAutoscaler, ModelDeployment> {
    @Override
    public boolean isMet(
        DependentResource<HorizontalPodAutoscaler, ModelDeployment> dependent,
        ModelDeployment md,
        Context<ModelDeployment> context) {
      return md.getSpec().getAutoscaling() != null;
    }
  }

  /** By name: JOSDK would otherwise call {@link #desired} to find the HPA it must delete. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      ModelDeployment md, Context<ModelDeployment> context) {
    return new ResourceID(ServerNames.server(md), md.getMetadata().getNamespace());
  }

  @Override
  protected HorizontalPodAutoscaler desired(ModelDeployment md, Context<ModelDeployment> context) {
    return desired(md);
  }

  public static HorizontalPodAutoscaler desired(ModelDeployment md) {
    var scaling = md.getSpec().getAutoscaling();
    var min = scaling.getMinReplicas() == null ? DEFAULT_MIN_REPLICAS : scaling.getMinReplicas();
    var cpu =
        scaling.getTargetCPUUtilizationPercentage() == null
            ? DEFAULT_CPU_PERCENT
            : scaling.getTargetCPUUtilizationPercentage();
    return new HorizontalPodAutoscalerBuilder()
        .withMetadata(ServerNames.meta(md))
        .withNewSpec()
        .withNewScaleTargetRef()
        .withApiVersion("apps/v1")
        .withKind("Deployment")
        .withName(ServerNames.server(md))
        .endScaleTargetRef()
        .withMinReplicas(min)
        .withMaxReplicas(scaling.getMaxReplicas())
        .addNewMetric()
        .withType("Resource")
        .withNewResource()
        .withName("cpu")
        .withNewTarget()
        .withType("Utilization")
        .withAverageUtilization(cpu)
        .endTarget()
        .endResource()
        .endMetric()
        .endSpec()
        .build();
  }
}
