package dev.almanac.operator.registry;

import dev.almanac.api.v1alpha1.common.MlflowSpec;
import dev.almanac.operator.metrics.AlmanacMetrics;
import dev.almanac.registry.MlflowCredentials;
import dev.almanac.registry.MlflowHttp;
import dev.almanac.registry.MlflowModelRegistry;
import dev.almanac.registry.MlflowSettings;
import dev.almanac.registry.RegistryUnavailableException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link RegistryPorts} that reads {@code spec.mlflow.credentialsSecretRef} with one {@code get}
 * per call (no Secret informer: the operator never caches every Secret of the cluster) and keeps
 * one client per tracking URI + credentials. Credentials are never logged.
 */
public final class SecretRegistryPorts implements RegistryPorts {
  private final KubernetesClient client;
  private final AlmanacMetrics metrics;
  private final Duration requestTimeout;
  private final boolean readSecrets;
  private final Optional<MlflowCredentials> operatorCredentials;
  private final Map<Key, ModelRegistryPort> ports = new ConcurrentHashMap<>();

  private record Key(String uri, Optional<MlflowCredentials> credentials) {}

  /** Reads the Secret each spec names; no operator-wide credentials. */
  public SecretRegistryPorts(
      KubernetesClient client, AlmanacMetrics metrics, Duration requestTimeout) {
    this(client, metrics, requestTimeout, true, Optional.empty());
  }

  /**
   * @param readSecrets read spec.mlflow.credentialsSecretRef; when off (chart default), every
   *     registry gets {@code operatorCredentials} and no Secret is ever read
   */
  public SecretRegistryPorts(
      KubernetesClient client,
      AlmanacMetrics metrics,
      Duration requestTimeout,
      boolean readSecrets,
      Optional<MlflowCredentials> operatorCredentials) {
    this.client = client;
    this.metrics = metrics;
    this.requestTimeout = requestTimeout;
    this.readSecrets = readSecrets;
    this.operatorCredentials = operatorCredentials;
  }

  @Override
  public ModelRegistryPort forSpec(String namespace, MlflowSpec mlflow) {
    var credentials = credentials(namespace, mlflow);
    return ports.computeIfAbsent(
        new Key(mlflow.getTrackingUri(), credentials),
        key -> {
          var settings =
              MlflowSettings.of(URI.create(key.uri()))
                  .withTimeouts(Duration.ofSeconds(3), requestTimeout)
                  .withRetries(2, Duration.ofMillis(200));
          if (key.credentials().isPresent()) {
            settings = settings.withCredentials(key.credentials().get());
          }
          return new MlflowRegistryPort(new MlflowModelRegistry(new MlflowHttp(settings)), metrics);
        });
  }

  private Optional<MlflowCredentials> credentials(String namespace, MlflowSpec mlflow) {
    var ref = mlflow.getCredentialsSecretRef();
    if (!readSecrets || ref == null || ref.getName() == null) {
      return operatorCredentials;
    }
    io.fabric8.kubernetes.api.model.Secret secret;
    try {
      secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
    } catch (KubernetesClientException e) {
      throw new RegistryUnavailableException(
          "cannot read Secret "
              + namespace
              + "/"
              + ref.getName()
              + " (spec.mlflow.credentialsSecretRef): "
              + e.getMessage(),
          0,
          e);
    }
    if (secret == null) {
      throw new RegistryUnavailableException(
          "Secret "
              + namespace
              + "/"
              + ref.getName()
              + " named in spec.mlflow.credentialsSecretRef does not exist",
          0,
          null);
    }
    var data = secret.getData() == null ? Map.<String, String>of() : secret.getData();
    var token = decode(data.get(MlflowSettings.TOKEN));
    if (token.isPresent()) {
      return Optional.of(new MlflowCredentials.Bearer(token.get()));
    }
    var user = decode(data.get(MlflowSettings.USERNAME));
    var password = decode(data.get(MlflowSettings.PASSWORD));
    if (user.isPresent() && password.isPresent()) {
      return Optional.of(new MlflowCredentials.Basic(user.get(), password.get()));
    }
    return Optional.empty();
  }

  private static Optional<String> decode(String base64) {
    if (base64 == null || base64.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(
            new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8).trim())
        .filter(s -> !s.isEmpty());
  }
}
