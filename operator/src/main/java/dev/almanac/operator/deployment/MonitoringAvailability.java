package dev.almanac.operator.deployment;

import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import java.util.ArrayList;
import java.util.Optional;

/**
 * Requested monitoring objects that the workflow could not reconcile. With the spec flag true, the
 * only reason a monitoring dependent is skipped is its activation condition: the CRD is missing.
 */
final class MonitoringAvailability {
  private MonitoringAvailability() {}

  static Optional<String> problem(ModelDeployment md, WorkflowReconcileResult result) {
    var missing = new ArrayList<String>();
    if (ServiceMonitorDependent.requested(md)
        && notReconciled(result, ServiceMonitorDependent.class)) {
      missing.add("ServiceMonitor");
    }
    if (PrometheusRuleDependent.requested(md)
        && notReconciled(result, PrometheusRuleDependent.class)) {
      missing.add("PrometheusRule");
    }
    return missing.isEmpty()
        ? Optional.empty()
        : Optional.of(
            String.join(" and ", missing)
                + " requested but the monitoring.coreos.com CRDs are not installed");
  }

  private static boolean notReconciled(WorkflowReconcileResult result, Class<?> dependent) {
    return result.getReconciledDependents().stream().noneMatch(dependent::isInstance);
  }
}
