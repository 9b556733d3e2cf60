package dev.almanac.operator.deployment;

import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.operator.Labels;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * ClusterIP Service of the model server; its port is named {@code http} for the ServiceMonitor
 * (also with TLS, when its {@code appProtocol} is {@code https}). The admin port is never in it.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_BY_SELECTOR))
public final class ServerServiceDependent
    extends CRUDKubernetesDependentResource<Service, ModelDeployment> {
  public static final String NAME = "server-service";

  public ServerServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(ModelDeployment md, Context<ModelDeployment> context) {
    return desired(md);
  }

  public static Service desired(ModelDeployment md) {
    return new ServiceBuilder()
        .withMetadata(ServerNames.meta(md))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(ServerNames.selector(md))
        .addNewPort()
        .withName(ServerNames.PORT_NAME)
        .withPort(ServerNames.PORT)
        .withTargetPort(new IntOrString(ServerNames.PORT_NAME))
        .withProtocol("TCP")
        // tells meshes and gateways what the port speaks; the name stays http for selectors
        .withAppProtocol(ServerSecurity.tls(md).isPresent() ? "https" : null)
        .endPort()
        .endSpec()
        .build();
  }
}
