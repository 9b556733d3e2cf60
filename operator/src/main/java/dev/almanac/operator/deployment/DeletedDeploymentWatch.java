package dev.almanac.operator.deployment;

import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.operator.metrics.AlmanacMetrics;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Set;

/**
 * Forgets the meters of a deleted ModelDeployment, so a version-mismatch alert does not fire
 * forever for something that is gone. The owned objects need nothing (owner references); JOSDK's
 * reconcile-on-delete mode would do this too, but it rules out managed workflows, and a finalizer
 * would block deletes while the operator is down. It never triggers a reconcile.
 */
final class DeletedDeploymentWatch extends InformerEventSource<ModelDeployment, ModelDeployment> {
  private final AlmanacMetrics metrics;

  DeletedDeploymentWatch(EventSourceContext<ModelDeployment> context, AlmanacMetrics metrics) {
    super(
        InformerEventSourceConfiguration.from(ModelDeployment.class, ModelDeployment.class)
            .withName("deleted-modeldeployments")
            .withSecondaryToPrimaryMapper(md -> Set.of())
            .build(),
        context);
    this.metrics = metrics;
  }

  @Override
  public void onDelete(ModelDeployment md, boolean finalStateUnknown) {
    metrics.forgetDeployment(md.getMetadata().getNamespace(), md.getMetadata().getName());
    super.onDelete(md, finalStateUnknown);
  }
}
