/**
 * What the operator needs from a model registry ({@link
 * dev.almanac.operator.registry.ModelRegistryPort}) and its MLflow adapter on the {@code registry}
 * module. Failures are the registry module's {@link dev.almanac.registry.RegistryException} family:
 * unreachable is {@link dev.almanac.registry.RegistryUnavailableException} (retried later), and no
 * other exception type is added here.
 */
package dev.almanac.operator.registry;
