/**
 * The ModelDeployment controller: {@link dev.almanac.operator.deployment.ModelDeploymentReconciler}
 * resolves {@code spec.model} to an exact version ({@link
 * dev.almanac.operator.deployment.ModelVersionResolver}), hands it to one dependent per owned
 * object (Deployment, Service, PodDisruptionBudget, HPA, ServiceMonitor, PrometheusRule) as a
 * {@link dev.almanac.operator.deployment.ServerPlan}, and writes one status through {@link
 * dev.almanac.operator.deployment.DeploymentStatusAggregator}.
 */
package dev.almanac.operator.deployment;
