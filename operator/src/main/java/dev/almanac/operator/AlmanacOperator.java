package dev.almanac.operator;

import dev.almanac.operator.config.OperatorConfig;
import dev.almanac.operator.deployment.DeploymentSettings;
import dev.almanac.operator.deployment.ModelDeploymentReconciler;
import dev.almanac.operator.events.EventRecorder;
import dev.almanac.operator.http.ManagementServer;
import dev.almanac.operator.metrics.AlmanacMetrics;
import dev.almanac.operator.pipeline.BatchPredictionLauncher;
import dev.almanac.operator.pipeline.BatchPredictionWatcher;
import dev.almanac.operator.pipeline.ForecastPipelineReconciler;
import dev.almanac.operator.pipeline.PipelineSettings;
import dev.almanac.operator.pipeline.PipelineSync;
import dev.almanac.operator.pipeline.Promoter;
import dev.almanac.operator.pipeline.PromotionNotifier;
import dev.almanac.operator.registry.RegistryPorts;
import dev.almanac.operator.registry.SecretRegistryPorts;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process: one typed {@link OperatorConfig}, constructor wiring of both reconcilers,
 * optional leader election on a Lease, the management HTTP server and graceful shutdown. Tests
 * build it in-process on an injected client and clock.
 */
public final class AlmanacOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlmanacOperator.class);

  /**
   * Knobs that differ between a deployed operator and one run inside a test.
   *
   * @param exitOnLostLease exit the JVM when leadership is lost (deployed: the pod restarts as
   *     standby)
   * @param ssaForPrimaryStatus false only against the fabric8 mock server, which answers 415 to SSA
   * @param modelDeployments also run the ModelDeployment controller (pipeline-only tests leave it
   *     out)
   */
  public record Options(
      boolean exitOnLostLease,
      Duration leaseDuration,
      Duration renewDeadline,
      Duration retryPeriod,
      boolean ssaForPrimaryStatus,
      Duration registryRetryDelay,
      boolean modelDeployments) {
    public static Options deployed() {
      return new Options(
          true,
          LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
          LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
          LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
          true,
          Duration.ofSeconds(30),
          true);
    }
  }

  private final OperatorConfig config;
  private final KubernetesClient client;
  private final MeterRegistry meters;
  private final Operator operator;
  private final PromotionNotifier promotions = new PromotionNotifier();
  private final BatchPredictionWatcher batchFailures;
  private ManagementServer http;

  public AlmanacOperator(
      OperatorConfig config,
      KubernetesClient client,
      Clock clock,
      MeterRegistry meters,
      RegistryPorts registriesOrNull,
      Options options) {
    this.config = config;
    this.client = client;
    this.meters = meters;
    var metrics = new AlmanacMetrics(meters);
    RegistryPorts registries =
        registriesOrNull != null
            ? registriesOrNull
            : new SecretRegistryPorts(
                client,
                metrics,
                Duration.ofSeconds(10),
                config.readCredentialSecrets(),
                config.registryCredentials());
    this.operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(meters))
                  .withConcurrentReconciliationThreads(config.reconcileThreads())
                  .withUseSSAToPatchPrimaryResource(options.ssaForPrimaryStatus())
                  .withReconciliationTerminationTimeout(Duration.ofSeconds(10));
              if (config.leaderElection()) {
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        config.leaseName(),
                        config.podNamespace(),
                        options.leaseDuration(),
                        options.renewDeadline(),
                        options.retryPeriod(),
                        config.podName(),
                        // batch failures are reported by the leader only (one Event, not one per
                        // replica); the field is read when leadership comes, after construction
                        new LeaderCallbacks(this::startLeading, this::stopLeading, id -> {}),
                        options.exitOnLostLease()));
              }
            });
    var events = new EventRecorder(client, clock);
    var settings =
        new PipelineSettings(
            config.trainerImage(),
            options.registryRetryDelay(),
            10,
            config.trainerServiceAccount(),
            config.defaults());
    var promoter = new Promoter(events, metrics, promotions, clock);
    promotions.subscribe(new BatchPredictionLauncher(client, events, settings, clock));
    this.batchFailures =
        new BatchPredictionWatcher(
            client,
            events,
            config.watchAllNamespaces() ? java.util.Set.of() : config.watchNamespaces(),
            clock);
    var sync = new PipelineSync(client, registries, events, metrics, promoter, settings, clock);
    var namespaces =
        config.watchAllNamespaces() ? Constants.WATCH_ALL_NAMESPACE_SET : config.watchNamespaces();
    operator.register(
        new ForecastPipelineReconciler(sync, events, metrics, settings, clock),
        c -> c.settingNamespaces(namespaces));

    // ---- ModelDeployment controller (written in dev.almanac.operator.deployment) ----------------
    if (!options.modelDeployments()) {
      return;
    }
    var deployments =
        new ModelDeploymentReconciler(
            client,
            registries,
            clock,
            metrics,
            new DeploymentSettings(
                config.serverImage(),
                config.registryPoll(),
                config.defaults(),
                config.serverNetwork()));
    promotions.subscribe(e -> deployments.onPromotion(e.namespace(), e.registeredModel()));
    operator.register(deployments, c -> c.settingNamespaces(namespaces));
    // ---------------------------------------------------------------------------------------------
  }

  public static void main(String[] args) throws IOException {
    System.setProperty("ai.djl.offline", "true");
    var config = OperatorConfig.fromEnv(System.getenv());
    var prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(prometheus);
    new JvmGcMetrics().bindTo(prometheus);
    new JvmThreadMetrics().bindTo(prometheus);
    new ProcessorMetrics().bindTo(prometheus);
    var client = new KubernetesClientBuilder().build();
    var almanac =
        new AlmanacOperator(
            config, client, Clock.systemUTC(), prometheus, null, Options.deployed());
    almanac.startHttp(prometheus);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  almanac.close();
                  client.close();
                },
                "almanac-shutdown"));
    try {
      almanac.start();
    } catch (RuntimeException e) {
      // the management server's thread would keep a half-started JVM alive (and /healthz green)
      LOG.error("operator failed to start", e);
      System.exit(1);
    }
    LOG.info(
        "almanac operator started: namespaces {}, leader election {}, management port {}",
        config.watchAllNamespaces() ? "all" : config.watchNamespaces(),
        config.leaderElection(),
        config.httpPort());
  }

  /**
   * Serves /healthz, /readyz and /metrics on {@link OperatorConfig#httpPort()} (0 = any free port).
   */
  public ManagementServer startHttp(PrometheusMeterRegistry prometheus) throws IOException {
    http = new ManagementServer(config.httpPort(), prometheus, () -> true, this::ready).start();
    return http;
  }

  public void start() {
    operator.start();
    if (!config.leaderElection()) {
      batchFailures.start(); // with leader election: when this replica leads
    }
  }

  private void startLeading() {
    batchFailures.start();
  }

  private void stopLeading() {
    batchFailures.close();
  }

  /** Whether this replica reports failed batch prediction Jobs (with leader election: leads). */
  public boolean watchingBatchPredictions() {
    return batchFailures.watching();
  }

  /** Started, and every informer of the controllers this instance runs is healthy. */
  public boolean ready() {
    var info = operator.getRuntimeInfo();
    return info.isStarted() && info.allEventSourcesAreHealthy();
  }

  public Operator operator() {
    return operator;
  }

  public PromotionNotifier promotions() {
    return promotions;
  }

  public MeterRegistry meters() {
    return meters;
  }

  /** Graceful: stops the controllers (in-flight reconciles finish), then the HTTP server. */
  @Override
  public void close() {
    batchFailures.close();
    try {
      operator.stop();
    } catch (RuntimeException e) {
      LOG.warn("operator stop: {}", e.toString());
    }
    if (http != null) {
      http.close();
    }
  }
}
