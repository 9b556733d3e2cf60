package dev.almanac.operator.config;

import dev.almanac.registry.MlflowCredentials;
import dev.almanac.registry.MlflowSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's whole configuration, read once from the environment the Helm chart sets. Nothing
 * else in the operator reads {@code System.getenv}.
 *
 * @param watchNamespaces empty = all namespaces (cluster-wide install)
 * @param podName lease holder identity (downward API); defaults to the host name
 * @param podNamespace namespace of the lease
 * @param trainerServiceAccount service account of trainer pods whose spec names none (null: the
 *     namespace default)
 * @param readCredentialSecrets read the Secret in spec.mlflow.credentialsSecretRef (one get per
 *     use); off: every registry is called with {@code registryCredentials} from the operator's own
 *     environment
 * @param registryCredentials MLFLOW_TRACKING_TOKEN or _USERNAME/_PASSWORD of the operator (toString
 *     masks them)
 * @param defaults the platform's MLflow and S3 for resources that leave them out
 * @param serverNetwork the monitoring namespace and the operator's pods, for the model servers'
 *     NetworkPolicies
 */
public record OperatorConfig(
    Set<String> watchNamespaces,
    boolean leaderElection,
    String leaseName,
    String podName,
    String podNamespace,
    String trainerImage,
    String serverImage,
    Duration registryPoll,
    int httpPort,
    int reconcileThreads,
    String trainerServiceAccount,
    String serverServiceAccount,
    boolean readCredentialSecrets,
    Optional<MlflowCredentials> registryCredentials,
    PlatformDefaults defaults,
    ServerNetworkSettings serverNetwork) {
  public static final String WATCH_NAMESPACES = "ALMANAC_WATCH_NAMESPACES";
  public static final String LEADER_ELECTION = "ALMANAC_LEADER_ELECTION";
  public static final String LEASE_NAME = "ALMANAC_LEASE_NAME";
  public static final String POD_NAME = "POD_NAME";
  public static final String POD_NAMESPACE = "POD_NAMESPACE";
  public static final String TRAINER_IMAGE = "ALMANAC_TRAINER_IMAGE";
  public static final String SERVER_IMAGE = "ALMANAC_SERVER_IMAGE";
  public static final String REGISTRY_POLL_SECONDS = "ALMANAC_REGISTRY_POLL_SECONDS";
  public static final String HTTP_PORT = "ALMANAC_HTTP_PORT";
  public static final String RECONCILE_THREADS = "ALMANAC_RECONCILE_THREADS";
  public static final String TRAINER_SERVICE_ACCOUNT = "ALMANAC_TRAINER_SERVICE_ACCOUNT";
  public static final String SERVER_SERVICE_ACCOUNT = "ALMANAC_SERVER_SERVICE_ACCOUNT";
  public static final String READ_CREDENTIAL_SECRETS = "ALMANAC_READ_CREDENTIAL_SECRETS";

  public static final String DEFAULT_LEASE_NAME = "almanac-operator-lease";
  public static final String DEFAULT_TRAINER_IMAGE = "ghcr.io/almanac-dev/almanac-trainer:0.1.0";
  public static final String DEFAULT_SERVER_IMAGE =
      "ghcr.io/almanac-dev/almanac-model-server:0.1.0";

  public OperatorConfig {
    watchNamespaces = Set.copyOf(watchNamespaces);
    registryCredentials = registryCredentials == null ? Optional.empty() : registryCredentials;
    defaults = defaults == null ? PlatformDefaults.NONE : defaults;
    serverNetwork = serverNetwork == null ? ServerNetworkSettings.DEFAULT : serverNetwork;
    if (leaderElection && (podNamespace == null || podNamespace.isBlank())) {
      throw new IllegalArgumentException(
          LEADER_ELECTION
              + "=true needs "
              + POD_NAMESPACE
              + " (the lease's namespace; set it from the downward API metadata.namespace)");
    }
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException(
          HTTP_PORT + " must be 0..65535 (0 = any free port), got " + httpPort);
    }
    if (registryPoll.isNegative() || registryPoll.isZero()) {
      throw new IllegalArgumentException(REGISTRY_POLL_SECONDS + " must be > 0");
    }
  }

  public static OperatorConfig fromEnv(Map<String, String> env) {
    var namespaces =
        value(env, WATCH_NAMESPACES)
            .map(
                v ->
                    Arrays.stream(v.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .collect(Collectors.toSet()))
            .orElse(Set.of());
    var leader =
        value(env, LEADER_ELECTION).map(v -> parseBoolean(LEADER_ELECTION, v)).orElse(false);
    return new OperatorConfig(
        namespaces,
        leader,
        value(env, LEASE_NAME).orElse(DEFAULT_LEASE_NAME),
        value(env, POD_NAME).orElseGet(OperatorConfig::hostName),
        value(env, POD_NAMESPACE).orElse(null),
        value(env, TRAINER_IMAGE).orElse(DEFAULT_TRAINER_IMAGE),
        value(env, SERVER_IMAGE).orElse(DEFAULT_SERVER_IMAGE),
        Duration.ofSeconds(
            value(env, REGISTRY_POLL_SECONDS)
                .map(v -> parseInt(REGISTRY_POLL_SECONDS, v))
                .orElse(60)),
        value(env, HTTP_PORT).map(v -> parseInt(HTTP_PORT, v)).orElse(8080),
        value(env, RECONCILE_THREADS).map(v -> parseInt(RECONCILE_THREADS, v)).orElse(10),
        value(env, TRAINER_SERVICE_ACCOUNT).orElse(null),
        value(env, SERVER_SERVICE_ACCOUNT).orElse(null),
        value(env, READ_CREDENTIAL_SECRETS)
            .map(v -> parseBoolean(READ_CREDENTIAL_SECRETS, v))
            .orElse(false),
        credentials(env),
        PlatformDefaults.fromEnv(env),
        ServerNetworkSettings.fromEnv(env));
  }

  /** The operator's own MLflow credentials (chart: envFrom registryCredentials.existingSecret). */
  private static Optional<MlflowCredentials> credentials(Map<String, String> env) {
    var token = value(env, MlflowSettings.TOKEN);
    if (token.isPresent()) {
      return Optional.of(new MlflowCredentials.Bearer(token.get()));
    }
    var user = value(env, MlflowSettings.USERNAME);
    var password = value(env, MlflowSettings.PASSWORD);
    if (user.isPresent() != password.isPresent()) {
      throw new IllegalArgumentException(
          "set both " + MlflowSettings.USERNAME + " and " + MlflowSettings.PASSWORD);
    }
    return user.map(u -> new MlflowCredentials.Basic(u, password.get()));
  }

  public boolean watchAllNamespaces() {
    return watchNamespaces.isEmpty();
  }

  private static Optional<String> value(Map<String, String> env, String key) {
    return Optional.ofNullable(env.get(key)).map(String::trim).filter(s -> !s.isEmpty());
  }

  private static boolean parseBoolean(String key, String value) {
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException(key + " must be true or false, got '" + value + "'");
  }

  private static int parseInt(String key, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, got '" + value + "'", e);
    }
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "almanac-operator";
    }
  }
}
