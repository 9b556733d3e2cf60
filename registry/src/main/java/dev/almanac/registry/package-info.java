/**
 * Access to MLflow (tracking, model registry) and to artifact stores (S3, MLflow's artifact proxy),
 * shared by the operator, the trainer and the model server. No ML libraries, no Kubernetes.
 *
 * <ul>
 *   <li>{@link dev.almanac.registry.MlflowSettings} and {@link dev.almanac.registry.S3Settings} —
 *       one configuration, read from the standard environment variables with {@code fromEnv(Map)}.
 *   <li>{@link dev.almanac.registry.MlflowConnection} — wires everything from those settings.
 *   <li>{@link dev.almanac.registry.MlflowTracking} — experiments, runs, params/metrics/tags,
 *       datasets.
 *   <li>{@link dev.almanac.registry.ModelRegistry} (implemented by {@link
 *       dev.almanac.registry.MlflowModelRegistry}) — resolve {@link
 *       dev.almanac.registry.ModelUri}s, stages, aliases, version tags.
 *   <li>{@link dev.almanac.registry.MlflowLoggedModels} — MLflow 3 logged models (asked once
 *       whether the server has them); the publisher makes each bundle one where it can.
 *   <li>{@link dev.almanac.registry.ArtifactTransfer} — directory upload/download with a SHA-256
 *       manifest; {@link dev.almanac.registry.ModelPublisher} (trainer: upload, then register) and
 *       {@link dev.almanac.registry.ModelFetcher} (server: resolve, then download verified).
 *   <li>Failures: {@link dev.almanac.registry.RegistryUnavailableException} (retry later), {@link
 *       dev.almanac.registry.RegistryRequestException} and its subclasses {@link
 *       dev.almanac.registry.ResourceNotFoundException} and {@link
 *       dev.almanac.registry.RegistryAccessDeniedException} (the call itself is wrong), {@link
 *       dev.almanac.registry.ArtifactIntegrityException} (files do not match their manifest).
 * </ul>
 */
package dev.almanac.registry;
