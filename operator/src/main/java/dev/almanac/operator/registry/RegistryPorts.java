package dev.almanac.operator.registry;

import dev.almanac.api.v1alpha1.common.MlflowSpec;

/**
 * Gives the registry for a resource's {@code spec.mlflow} (tracking URI + credentials Secret in the
 * resource's namespace). Implementations cache clients per URI + credentials.
 */
@FunctionalInterface
public interface RegistryPorts {
  ModelRegistryPort forSpec(String namespace, MlflowSpec mlflow);
}
