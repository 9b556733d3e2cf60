package dev.almanac.operator.deployment;

import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.operator.Labels;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesResourceUtil;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Names and labels of the objects a ModelDeployment owns. Every name is a pure function of the
 * ModelDeployment, so a restarted operator finds its objects again instead of creating twins.
 */
public final class ServerNames {
  /** {@code app.kubernetes.io/name} of every model server object. */
  public static final String APP = "almanac-model-server";

  public static final String COMPONENT = "model-server";
  public static final int PORT = 8080;
  public static final String PORT_NAME = "http";

  private ServerNames() {}

  /** Name of the Deployment, Service, HPA, ServiceMonitor and PrometheusRule (a DNS-1035 label). */
  public static String server(ModelDeployment md) {
    return KubernetesResourceUtil.sanitizeName(md.getMetadata().getName());
  }

  /** The Service's URL; {@code https://} when the server has TLS. */
  public static String url(ModelDeployment md) {
    return (ServerSecurity.tls(md).isPresent() ? "https://" : "http://") + host(md) + ":" + PORT;
  }

  /** The Service's cluster DNS name (what a certificate for the server should name). */
  public static String host(ModelDeployment md) {
    return server(md) + "." + md.getMetadata().getNamespace() + ".svc";
  }

  /** Pod selector; immutable on a Deployment, so it holds only labels that never change. */
  public static Map<String, String> selector(ModelDeployment md) {
    var labels = new LinkedHashMap<String, String>();
    labels.put(Labels.NAME, APP);
    labels.put(Labels.INSTANCE, md.getMetadata().getName());
    labels.put(Labels.COMPONENT, COMPONENT);
    return labels;
  }

  /** The selector as a string, for {@code status.selector} (scale subresource). */
  public static String selectorString(ModelDeployment md) {
    return selector(md).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  public static Map<String, String> labels(ModelDeployment md) {
    var labels = Labels.common(md, APP, COMPONENT);
    labels.put(Labels.DEPLOYMENT, md.getMetadata().getName());
    return labels;
  }

  public static ObjectMeta meta(ModelDeployment md) {
    return new ObjectMetaBuilder()
        .withName(server(md))
        .withNamespace(md.getMetadata().getNamespace())
        .withLabels(labels(md))
        .build();
  }
}
