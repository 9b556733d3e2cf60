package dev.almanac.operator.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the per-ModelDeployment NetworkPolicy needs to know about the platform: where Prometheus
 * runs and which pods are the operator (the only peer allowed on a server's admin port).
 *
 * @param monitoringNamespace default namespace allowed to scrape {@code /metrics}
 * @param operatorNamespace the operator's namespace (downward API); null: unknown, the admin port
 *     then admits nobody
 * @param operatorPodLabels labels of the operator's pods (the chart's selector labels)
 */
public record ServerNetworkSettings(
    String monitoringNamespace, String operatorNamespace, Map<String, String> operatorPodLabels) {
  public static final String MONITORING_NAMESPACE = "ALMANAC_MONITORING_NAMESPACE";
  public static final String OPERATOR_POD_LABELS = "ALMANAC_OPERATOR_POD_LABELS";
  public static final String DEFAULT_MONITORING_NAMESPACE = "monitoring";
  public static final ServerNetworkSettings DEFAULT =
      new ServerNetworkSettings(DEFAULT_MONITORING_NAMESPACE, null, Map.of());

  public ServerNetworkSettings {
    monitoringNamespace =
        monitoringNamespace == null || monitoringNamespace.isBlank()
            ? DEFAULT_MONITORING_NAMESPACE
            : monitoringNamespace.strip();
    operatorNamespace =
        operatorNamespace == null || operatorNamespace.isBlank() ? null : operatorNamespace;
    operatorPodLabels = operatorPodLabels == null ? Map.of() : Map.copyOf(operatorPodLabels);
  }

  /** The operator's pods as a NetworkPolicy peer, when both namespace and labels are known. */
  public boolean operatorKnown() {
    return operatorNamespace != null && !operatorPodLabels.isEmpty();
  }

  /**
   * {@code ALMANAC_MONITORING_NAMESPACE}, {@code POD_NAMESPACE} and {@code
   * ALMANAC_OPERATOR_POD_LABELS} ({@code key=value,key=value}); a pair without {@code =} fails
   * naming the variable.
   */
  public static ServerNetworkSettings fromEnv(Map<String, String> env) {
    var labels = new LinkedHashMap<String, String>();
    var raw = Optional.ofNullable(env.get(OPERATOR_POD_LABELS)).orElse("");
    for (var pair : raw.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            OPERATOR_POD_LABELS + " must be key=value[,key=value...], got '" + raw + "'");
      }
      labels.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    return new ServerNetworkSettings(
        env.get(MONITORING_NAMESPACE), env.get(OperatorConfig.POD_NAMESPACE), labels);
  }
}
