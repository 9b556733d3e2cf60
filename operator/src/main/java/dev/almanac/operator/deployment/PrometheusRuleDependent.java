package dev.almanac.operator.deployment;

import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.operator.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRuleBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.CRDPresentActivationCondition;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Alerts of one model server, scoped to its Service ({@code namespace}, {@code service} target
 * labels added by the ServiceMonitor). Same alert names, thresholds and runbooks as the chart's
 * cluster-wide {@code almanac.serving} group, for clusters that install rules per deployment.
 * Conditions as in {@link ServiceMonitorDependent}.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_BY_SELECTOR))
public final class PrometheusRuleDependent
    extends CRUDKubernetesDependentResource<PrometheusRule, ModelDeployment> {
  public static final String NAME = "server-prometheusrule";
  public static final String CRD = HasMetadata.getFullResourceName(PrometheusRule.class);
  static final String RUNBOOKS = "https://github.com/almanac-dev/almanac/blob/main/docs/runbooks/";

  public PrometheusRuleDependent() {
    super(PrometheusRule.class);
  }

  /** Activation condition: the monitoring.coreos.com PrometheusRule CRD exists. */
  public static final class CrdPresent
      extends CRDPresentActivationCondition<PrometheusRule, ModelDeployment> {}

  /** Reconcile precondition: {@code spec.monitoring.prometheusRule: true}. */
  public static final class Requested implements Condition<PrometheusRule, ModelDeployment> {
    @Override
    public boolean isMet(
        DependentResource<PrometheusRule, ModelDeployment> dependent,
        ModelDeployment md,
        Context<ModelDeployment> context) {
      return requested(md);
    }
  }

  public static boolean requested(ModelDeployment md) {
    var monitoring = md.getSpec().getMonitoring();
    return monitoring != null && Boolean.TRUE.equals(monitoring.getPrometheusRule());
  }

  @Override
  protected PrometheusRule desired(ModelDeployment md, Context<ModelDeployment> context) {
    return desired(md);
  }

  public static PrometheusRule desired(ModelDeployment md) {
    var scope =
        "namespace=\""
            + md.getMetadata().getNamespace()
            + "\",service=\""
            + ServerNames.server(md)
            + "\"";
    var who = md.getMetadata().getNamespace() + "/" + md.getMetadata().getName();
    var rules =
        List.of(
            rule(
                md,
                "AlmanacModelServerErrorRatio",
                "critical",
                "10m",
                "sum(rate(almanac_server_requests_total{"
                    + scope
                    + ",code=~\"5..\"}[5m]))\n  / sum(rate(almanac_server_requests_total{"
                    + scope
                    + "}[5m])) > 0.05",
                "Model server " + who + " answers with 5xx",
                "{{ $value | humanizePercentage }} of the requests to ModelDeployment "
                    + who
                    + " failed with a 5xx status over the last 5 minutes (threshold 5 %)."),
            rule(
                md,
                "AlmanacModelServerLatencyHigh",
                "warning",
                "10m",
                "histogram_quantile(0.99, sum by (le) (rate(almanac_server_request_duration_seconds_bucket{"
                    + scope
                    + "}[5m]))) > 1",
                "Model server " + who + " is slow",
                "p99 request latency of ModelDeployment "
                    + who
                    + " is {{ $value | humanizeDuration }} (threshold 1s)."),
            rule(
                md,
                "AlmanacModelLoadFailed",
                "warning",
                null,
                "sum(increase(almanac_server_model_load_failures_total{" + scope + "}[15m])) > 0",
                "Model of " + who + " failed to load",
                "{{ $value | printf \"%.0f\" }} model load(s) of ModelDeployment "
                    + who
                    + " failed in the last 15 minutes; the previous version keeps serving (or the pods are not ready)."),
            rule(
                md,
                "AlmanacInputDrift",
                "warning",
                "30m",
                "max(almanac_server_input_drift_psi_max{" + scope + "}) > 0.25",
                "Inputs of " + who + " drifted from its training data",
                "A symptom's frequency in the requests to ModelDeployment "
                    + who
                    + " differs from the training data with a PSI of {{ $value | printf \"%.2f\" }}"
                    + " (threshold 0.25) for 30 minutes; almanac_server_input_drift_psi names the"
                    + " symptoms."));
    return new PrometheusRuleBuilder()
        .withMetadata(ServerNames.meta(md))
        .withNewSpec()
        .addNewGroup()
        .withName("almanac.serving." + ServerNames.server(md))
        .withRules(rules)
        .endGroup()
        .endSpec()
        .build();
  }

  private static Rule rule(
      ModelDeployment md,
      String alert,
      String severity,
      String forDuration,
      String expr,
      String summary,
      String description) {
    var labels = new LinkedHashMap<String, String>();
    labels.put("severity", severity);
    labels.put("deployment", md.getMetadata().getName());
    var builder =
        new RuleBuilder()
            .withAlert(alert)
            .withExpr(new IntOrString(expr))
            .withLabels(labels)
            .withAnnotations(
                Map.of(
                    "summary",
                    summary,
                    "description",
                    description,
                    "runbook_url",
                    RUNBOOKS + alert + ".md"));
    if (forDuration != null) {
      builder.withFor(forDuration);
    }
    return builder.build();
  }
}
