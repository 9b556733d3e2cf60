package dev.almanac.operator.deployment;

import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.operator.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretKeySelectorBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.EndpointBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitorBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.CRDPresentActivationCondition;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Prometheus Operator ServiceMonitor scraping {@code /metrics} on the {@code http} port. Two
 * conditions, on purpose: the activation condition (CRD installed) decides whether JOSDK may watch
 * the type at all, and the reconcile precondition (spec flag) creates or deletes the object.
 * Folding the flag into the activation condition would leave the object behind when the flag is
 * turned off, because an inactive dependent is neither reconciled nor deleted.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_BY_SELECTOR))
public final class ServiceMonitorDependent
    extends CRUDKubernetesDependentResource<ServiceMonitor, ModelDeployment> {
  public static final String NAME = "server-servicemonitor";
  public static final String CRD = HasMetadata.getFullResourceName(ServiceMonitor.class);

  public ServiceMonitorDependent() {
    super(ServiceMonitor.class);
  }

  /** Activation condition: the monitoring.coreos.com ServiceMonitor CRD exists. */
  public static final class CrdPresent
      extends CRDPresentActivationCondition<ServiceMonitor, ModelDeployment> {}

  /** Reconcile precondition: {@code spec.monitoring.serviceMonitor: true}. */
  public static final class Requested implements Condition<ServiceMonitor, ModelDeployment> {
    @Override
    public boolean isMet(
        DependentResource<ServiceMonitor, ModelDeployment> dependent,
        ModelDeployment md,
        Context<ModelDeployment> context) {
      return requested(md);
    }
  }

  public static boolean requested(ModelDeployment md) {
    var monitoring = md.getSpec().getMonitoring();
    return monitoring != null && Boolean.TRUE.equals(monitoring.getServiceMonitor());
  }

  @Override
  protected ServiceMonitor desired(ModelDeployment md, Context<ModelDeployment> context) {
    return desired(md);
  }

  public static ServiceMonitor desired(ModelDeployment md) {
    var endpoint =
        new EndpointBuilder()
            .withPort(ServerNames.PORT_NAME)
            .withPath("/metrics")
            .withInterval("30s");
    // /metrics shares the serving port, so with TLS Prometheus scrapes over HTTPS, trusting the
    // server's own certificate (Go takes any certificate in the CA pool as a trust anchor)
    ServerSecurity.tls(md)
        .ifPresent(
            tls ->
                endpoint
                    .withScheme("https")
                    .withNewTlsConfig()
                    .withServerName(ServerNames.host(md))
                    .withNewCa()
                    .withSecret(
                        new SecretKeySelectorBuilder()
                            .withName(tls.getSecretName())
                            .withKey(ServerSecurity.TLS_CERT)
                            .build())
                    .endCa()
                    .endTlsConfig());
    return new ServiceMonitorBuilder()
        .withMetadata(ServerNames.meta(md))
        .withNewSpec()
        .withNewSelector()
        .withMatchLabels(ServerNames.selector(md))
        .endSelector()
        .withEndpoints(endpoint.build())
        .endSpec()
        .build();
  }
}
