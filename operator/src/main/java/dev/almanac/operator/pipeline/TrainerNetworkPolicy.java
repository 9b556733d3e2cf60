package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.operator.Labels;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesResourceUtil;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One NetworkPolicy per pipeline for its trainer pods: no ingress; egress to DNS and to the
 * endpoints of the pipeline's URIs only (MLflow tracking URI, S3 endpoint, data URL), plus {@code
 * spec.trainer.networkPolicy.extraEgress}. A NetworkPolicy cannot name a host, so each URI becomes
 * the narrowest peer its host allows: an IP literal becomes an {@code ipBlock}, a Service name
 * ({@code svc}, {@code svc.ns.svc[.cluster.local]}) its namespace, any other DNS name its port
 * only. S3 without an endpoint is AWS: HTTPS (443).
 */
public final class TrainerNetworkPolicy {
  static final String SUFFIX = "-trainer";
  static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
  private static final Pattern SERVICE_DNS =
      Pattern.compile("^([a-z0-9-]+)\\.([a-z0-9-]+)\\.svc(\\.cluster\\.local)?\\.?$");
  private static final Pattern SINGLE_LABEL = Pattern.compile("^[a-z0-9-]+$");
  private static final Pattern IP_LITERAL = Pattern.compile("^[0-9.]+$|^\\[?[0-9a-fA-F:]+]?$");

  /** Where a URI points, as far as a NetworkPolicy can say it. */
  record Endpoint(String host, int port) {}

  private TrainerNetworkPolicy() {}

  public static String name(ForecastPipeline fp) {
    return KubernetesResourceUtil.sanitizeName(fp.getMetadata().getName() + SUFFIX);
  }

  public static boolean enabled(ForecastPipeline fp) {
    var trainer = fp.getSpec().getTrainer();
    var policy = trainer == null ? null : trainer.getNetworkPolicy();
    return policy == null || !Boolean.FALSE.equals(policy.getEnabled());
  }

  /** Applies or (when disabled) deletes the pipeline's policy; runs before a run's pods exist. */
  static void sync(RunObjectStore store, ForecastPipeline fp) {
    if (enabled(fp)) {
      store.applyPolicy(desired(fp));
    } else {
      store.deletePolicy(fp.getMetadata().getNamespace(), name(fp));
    }
  }

  /** The policy, from the pipeline with the platform defaults applied. */
  public static NetworkPolicy desired(ForecastPipeline fp) {
    var spec = fp.getSpec();
    var rules = new ArrayList<NetworkPolicyEgressRule>();
    rules.add(
        new NetworkPolicyEgressRuleBuilder().withPorts(port(53, "UDP"), port(53, "TCP")).build());
    var uris = new ArrayList<String>();
    if (spec.getMlflow() != null && spec.getMlflow().getTrackingUri() != null) {
      uris.add(spec.getMlflow().getTrackingUri());
    }
    var s3 = spec.getArtifacts() == null ? null : spec.getArtifacts().getS3();
    if (s3 != null && s3.getEndpoint() != null && !s3.getEndpoint().isBlank()) {
      uris.add(s3.getEndpoint());
    } else if (s3 != null) {
      uris.add("https://s3.amazonaws.com"); // AWS: regional hosts, all on 443
    }
    var data = spec.getData() == null ? null : spec.getData().getSource();
    if (data != null && data.getUrl() != null && !data.getUrl().isBlank()) {
      uris.add(data.getUrl());
    }
    for (var uri : uris) {
      endpoint(uri).ifPresent(e -> rules.add(rule(e, fp.getMetadata().getNamespace())));
    }
    var trainer = spec.getTrainer();
    if (trainer != null
        && trainer.getNetworkPolicy() != null
        && trainer.getNetworkPolicy().getExtraEgress() != null) {
      rules.addAll(trainer.getNetworkPolicy().getExtraEgress());
    }
    Map<String, String> labels = Labels.common(fp, "almanac-trainer", RunObjects.COMPONENT);
    labels.put(Labels.PIPELINE, fp.getMetadata().getName());
    var selector = new LinkedHashMap<String, String>();
    selector.put(Labels.PIPELINE, fp.getMetadata().getName());
    selector.put(Labels.COMPONENT, RunObjects.COMPONENT);
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(name(fp))
        .withNamespace(fp.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(RunObjects.owner(fp))
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(selector)
        .endPodSelector()
        .withPolicyTypes("Ingress", "Egress")
        .withEgress(rules)
        .endSpec()
        .build();
  }

  /** Host and port of an http(s)/s3-style URI; empty for one without a host (a file path). */
  static Optional<Endpoint> endpoint(String uri) {
    URI u;
    try {
      u = URI.create(uri.strip());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (u.getHost() == null) {
      return Optional.empty();
    }
    int port = u.getPort();
    if (port < 0) {
      port = "http".equalsIgnoreCase(u.getScheme()) ? 80 : 443;
    }
    return Optional.of(new Endpoint(u.getHost().toLowerCase(Locale.ROOT), port));
  }

  static NetworkPolicyEgressRule rule(Endpoint e, String namespace) {
    var rule = new NetworkPolicyEgressRuleBuilder().withPorts(port(e.port(), "TCP"));
    peer(e.host(), namespace).ifPresent(rule::withTo);
    return rule.build();
  }

  /** The narrowest peer for a host; empty: any destination (on the rule's port). */
  static Optional<NetworkPolicyPeer> peer(String host, String namespace) {
    if (IP_LITERAL.matcher(host).matches()) {
      try {
        var ip = InetAddress.getByName(host.replace("[", "").replace("]", ""));
        var bits = ip.getAddress().length * 8;
        return Optional.of(
            new NetworkPolicyPeerBuilder()
                .withNewIpBlock()
                .withCidr(ip.getHostAddress() + "/" + bits)
                .endIpBlock()
                .build());
      } catch (UnknownHostException e) {
        return Optional.empty();
      }
    }
    var service = SERVICE_DNS.matcher(host);
    if (service.matches()) {
      return Optional.of(inNamespace(service.group(2)));
    }
    if (SINGLE_LABEL.matcher(host).matches() && !host.equals("localhost")) {
      return Optional.of(inNamespace(namespace)); // a Service of the pipeline's own namespace
    }
    return Optional.empty();
  }

  private static NetworkPolicyPeer inNamespace(String namespace) {
    return new NetworkPolicyPeerBuilder()
        .withNamespaceSelector(
            new LabelSelectorBuilder()
                .withMatchLabels(Map.of(NAMESPACE_NAME_LABEL, namespace))
                .build())
        .build();
  }

  private static io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort port(
      int port, String protocol) {
    return new NetworkPolicyPortBuilder()
        .withPort(new IntOrString(port))
        .withProtocol(protocol)
        .build();
  }
}
