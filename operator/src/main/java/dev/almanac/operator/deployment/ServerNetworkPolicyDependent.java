package dev.almanac.operator.deployment;

import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.operator.Labels;
import dev.almanac.operator.config.ServerNetworkSettings;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ingress NetworkPolicy of the model server pods: the serving port from {@code
 * spec.networkPolicy.from} (default: the ModelDeployment's namespace), the same port from the
 * monitoring namespace ({@code /metrics} lives there), the admin port from the operator's pods
 * only. Egress is left open: the server must reach MLflow and S3, wherever they are.
 *
 * <p>{@code spec.networkPolicy.enabled: false} is a reconcile precondition, not an activation
 * condition: an inactive dependent is neither reconciled nor deleted, so turning the policy off
 * would leave it behind.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_BY_SELECTOR))
public final class ServerNetworkPolicyDependent
    extends CRUDKubernetesDependentResource<NetworkPolicy, ModelDeployment> {
  public static final String NAME = "server-networkpolicy";

  /** The label every namespace carries with its own name (Kubernetes ≥ 1.22). */
  static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  public ServerNetworkPolicyDependent() {
    super(NetworkPolicy.class);
  }

  /** Reconcile precondition: {@code spec.networkPolicy.enabled} is not false. */
  public static final class Enabled implements Condition<NetworkPolicy, ModelDeployment> {
    @Override
    public boolean isMet(
        DependentResource<NetworkPolicy, ModelDeployment> dependent,
        ModelDeployment md,
        Context<ModelDeployment> context) {
      return enabled(md);
    }
  }

  public static boolean enabled(ModelDeployment md) {
    var policy = md.getSpec().getNetworkPolicy();
    return policy == null || !Boolean.FALSE.equals(policy.getEnabled());
  }

  @Override
  protected NetworkPolicy desired(ModelDeployment md, Context<ModelDeployment> context) {
    var settings =
        context
            .managedWorkflowAndDependentResourceContext()
            .get(ServerNetworkSettings.class, ServerNetworkSettings.class)
            .orElse(ServerNetworkSettings.DEFAULT);
    return desired(md, settings);
  }

  /** The whole desired NetworkPolicy, a pure function of the resource and the settings. */
  public static NetworkPolicy desired(ModelDeployment md, ServerNetworkSettings settings) {
    var spec = md.getSpec().getNetworkPolicy();
    List<NetworkPolicyPeer> serving =
        spec != null && spec.getFrom() != null && !spec.getFrom().isEmpty()
            ? spec.getFrom()
            // an empty podSelector in a peer: every pod of the policy's own namespace
            : List.of(new NetworkPolicyPeerBuilder().withNewPodSelector().endPodSelector().build());
    var monitoringNamespace =
        spec != null && spec.getMonitoringNamespace() != null
            ? spec.getMonitoringNamespace()
            : settings.monitoringNamespace();
    var rules = new ArrayList<NetworkPolicyIngressRule>();
    rules.add(rule(ServerNames.PORT_NAME, serving));
    rules.add(rule(ServerNames.PORT_NAME, List.of(namespace(monitoringNamespace, Map.of()))));
    if (ServerSecurity.admin(md).isPresent() && settings.operatorKnown()) {
      rules.add(
          rule(
              ServerSecurity.ADMIN_PORT_NAME,
              List.of(namespace(settings.operatorNamespace(), settings.operatorPodLabels()))));
    }
    return new NetworkPolicyBuilder()
        .withMetadata(ServerNames.meta(md))
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(ServerNames.selector(md))
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .withIngress(rules)
        .endSpec()
        .build();
  }

  private static NetworkPolicyIngressRule rule(String port, List<NetworkPolicyPeer> from) {
    return new NetworkPolicyIngressRuleBuilder()
        .withFrom(from)
        .withPorts(
            new NetworkPolicyPortBuilder()
                .withPort(new IntOrString(port))
                .withProtocol("TCP")
                .build())
        .build();
  }

  /** Pods with {@code podLabels} (all, when empty) in the namespace named {@code name}. */
  private static NetworkPolicyPeer namespace(String name, Map<String, String> podLabels) {
    var peer =
        new NetworkPolicyPeerBuilder()
            .withNamespaceSelector(
                new LabelSelectorBuilder()
                    .withMatchLabels(Map.of(NAMESPACE_NAME_LABEL, name))
                    .build());
    if (!podLabels.isEmpty()) {
      peer.withPodSelector(new LabelSelectorBuilder().withMatchLabels(podLabels).build());
    }
    return peer.build();
  }
}
