package dev.almanac.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.almanac.demo.local.LocalImages;
import dev.almanac.demo.local.LocalRunner;
import dev.almanac.testbed.KubeApiServer;
import dev.almanac.testbed.ManagedProcess;
import dev.almanac.testbed.MlflowServer;
import dev.almanac.testbed.PostgresServer;
import dev.almanac.testbed.S3Server;
import dev.almanac.testbed.Tools;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole Almanac loop on one machine, no cluster: a real kube-apiserver + etcd, MLflow, an S3
 * server, a PostgreSQL for batch forecasts (realized accuracy), the operator jar, and the {@link
 * LocalRunner} that runs the Jobs and Deployments the operator creates as local processes. Applies
 * the two examples (pointed at the local MLflow and S3), waits until both pipelines have a
 * production version and both deployments are ready, prints where everything is, writes {@code
 * <state>/READY}, and keeps running until killed.
 *
 * <p>Usage: {@code DemoStack <state-dir>} (scripts/demo.sh runs it in the background).
 */
public final class DemoStack {
  public static final String NAMESPACE = "almanac-demo";
  static final String BUCKET = "almanac";
  static final List<String> EXAMPLES = List.of("covid-forecast", "disease-classifier");

  private final Path state;
  private final PrintStream out;
  private final long started = System.nanoTime();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private boolean stagesRefused;
  private dev.almanac.testbed.MlflowProxy stageless;

  DemoStack(Path state, PrintStream out) {
    this.state = state;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    var state = Path.of(args.length > 0 ? args[0] : ".demo").toAbsolutePath();
    Files.createDirectories(state);
    var demo = new DemoStack(state, System.out);
    Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "demo-stop"));
    try {
      demo.run(
          Duration.ofMinutes(
              Long.parseLong(System.getenv().getOrDefault("ALMANAC_DEMO_TIMEOUT_MINUTES", "20"))));
    } catch (Exception e) {
      demo.say("FAILED: " + e.getMessage());
      Files.writeString(state.resolve("FAILED"), String.valueOf(e.getMessage()));
      System.exit(1);
    }
    Thread.currentThread().join(); // keep serving until demo-down
  }

  /** What a started demo gives its caller (the e2e tests drive the same stack). */
  public record RunningDemo(
      io.fabric8.kubernetes.client.KubernetesClient client,
      LocalRunner runner,
      URI mlflow,
      URI s3,
      Path kubeconfig) {}

  private RunningDemo running;

  public static DemoStack create(Path state, PrintStream out) {
    return new DemoStack(state, out);
  }

  public RunningDemo running() {
    return running;
  }

  public void run(Duration timeout) throws Exception {
    var project = Tools.projectDir();
    var images = LocalImages.ofProject(project);
    for (var image : List.of("almanac-trainer", "almanac-model-server", "almanac-operator")) {
      images.requireJar(image);
    }
    say("starting S3 (moto) and MLflow servers");
    var s3 = track(S3Server.start());
    s3.createBucket(BUCKET);
    var server = track(MlflowServer.start(s3, BUCKET));
    say(server.version() + " ready at " + server.trackingUri());
    say("starting PostgreSQL (batch forecasts, for realized accuracy)");
    var postgres = track(PostgresServer.start());
    var trackingUri = server.trackingUri();
    if (stagesRefused) {
      stageless = track(dev.almanac.testbed.MlflowProxy.refusingStages(server.trackingUri()));
      trackingUri = stageless.trackingUri();
      say("MLflow without stages (Unity Catalog-style registry) at " + trackingUri);
    }
    say("starting kube-apiserver + etcd v" + Tools.KUBE_VERSION);
    var kube = KubeApiServer.shared();
    var kubeconfig = state.resolve("kubeconfig");
    Files.writeString(kubeconfig, kube.kubeconfigYaml());
    kube.applyAlmanacCrds();
    var client = kube.client();
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
    ExampleSecrets.apply(client, NAMESPACE, s3);
    ExampleSecrets.applyForecastsDb(client, NAMESPACE, postgres);

    var dataDir = Tools.dataDir();
    var runner =
        track(
            new LocalRunner(
                    client,
                    images,
                    state.resolve("work"),
                    Map.of(
                        "ALMANAC_DATA_DIR",
                        dataDir.toString(),
                        "DJL_OFFLINE",
                        "true",
                        "OPT_OUT_TRACKING",
                        "true"))
                .onProgress(this::say)
                .start());

    int operatorPort = ManagedProcess.freePort();
    var operatorEnv = new LinkedHashMap<String, String>();
    operatorEnv.put("KUBECONFIG", kubeconfig.toString());
    operatorEnv.put("ALMANAC_TRAINER_IMAGE", "almanac-trainer:local");
    operatorEnv.put("ALMANAC_SERVER_IMAGE", "almanac-model-server:local");
    operatorEnv.put("ALMANAC_HTTP_PORT", Integer.toString(operatorPort));
    operatorEnv.put("ALMANAC_REGISTRY_POLL_SECONDS", "15");
    say("starting the operator (log " + state.resolve("operator.log") + ")");
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    track(
        ManagedProcess.start(
            "almanac operator",
            List.of(java, "-jar", images.requireJar("almanac-operator").toString()),
            operatorEnv,
            state.resolve("operator.log"),
            URI.create("http://127.0.0.1:" + operatorPort + "/readyz"),
            Duration.ofSeconds(90)));

    for (var example : EXAMPLES) {
      for (var file : List.of("pipeline.yaml", "model-deployment.yaml")) {
        var resource =
            localized(
                project.resolve("examples").resolve(example).resolve(file),
                trackingUri,
                s3.endpoint());
        client.resource(resource).inNamespace(NAMESPACE).forceConflicts().serverSideApply();
        say(
            "applied examples/"
                + example
                + "/"
                + file
                + " (MLflow and S3 pointed at the local servers)");
      }
    }
    running = new RunningDemo(client, runner, trackingUri, s3.endpoint(), kubeconfig);
    new DemoProgress(client, NAMESPACE, this::say).awaitAllServing(timeout);

    var lines = new ArrayList<String>();
    lines.add("");
    lines.add("Almanac demo is up (" + elapsed() + "):");
    lines.add("  MLflow UI (runs, registered models):  " + server.trackingUri());
    for (var md :
        client
            .genericKubernetesResources("almanac.dev/v1alpha1", "ModelDeployment")
            .inNamespace(NAMESPACE)
            .list()
            .getItems()) {
      var name = md.getMetadata().getName();
      var urls =
          runner.endpoints(NAMESPACE, DemoProgress.serverDeploymentName(client, NAMESPACE, name));
      lines.add(
          "  "
              + name
              + " dashboard:  "
              + (urls.isEmpty() ? "(no ready replica)" : urls.get(0) + "/")
              + "   API docs: "
              + (urls.isEmpty() ? "" : urls.get(0) + "/docs"));
    }
    lines.addAll(DemoProgress.productionSummary(client, NAMESPACE));
    lines.add(
        "  kubectl:  export KUBECONFIG="
            + kubeconfig
            + "  &&  kubectl get fp,mdep -n "
            + NAMESPACE);
    lines.add("  moving time (realized accuracy, docs/monitoring.md):");
    lines.add("    1. a data cutoff and this demo's PostgreSQL:  " + movingTimeCommand(postgres));
    lines.add(
        "    2. once that run and its batch prediction finished:  scripts/advance-asof.sh -n "
            + NAMESPACE
            + " -d 14 --wait covid-cases");
    lines.add(
        "  logs:     "
            + state
            + " (operator.log, work/jobs/*/log.txt, work/deployments/*/log.txt)");
    lines.add("  stop:     make demo-down");
    lines.forEach(this::say);
    Files.write(state.resolve("READY"), lines);
  }

  /**
   * Gives the covid example a data cutoff and the demo's PostgreSQL as its batch output: the first
   * step of moving time forward (docs/monitoring.md).
   */
  static String movingTimeCommand(PostgresServer postgres) {
    return "kubectl -n "
        + NAMESPACE
        + " patch fp covid-cases --type merge -p '{\"spec\":{\"data\":{\"asOf\":\"2021-02-01\"},"
        + "\"batchPrediction\":{\"output\":{\"postgres\":{\"jdbcUrl\":\""
        + postgres.jdbcUrl()
        + "\",\"credentialsSecretRef\":{\"name\":\""
        + ExampleSecrets.FORECASTS_DB
        + "\"}}}}}}'";
  }

  /**
   * The example as a user would apply it, with MLflow and S3 endpoints replaced by the local ones.
   */
  static GenericKubernetesResource localized(Path file, URI trackingUri, URI s3Endpoint)
      throws IOException {
    var mapper = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
    var tree = (ObjectNode) mapper.readTree(file.toFile());
    var spec = (ObjectNode) tree.get("spec");
    if (spec.has("mlflow")) {
      ((ObjectNode) spec.get("mlflow")).put("trackingUri", trackingUri.toString());
    }
    if (spec.has("artifacts") && spec.get("artifacts").has("s3")) {
      ((ObjectNode) spec.get("artifacts").get("s3")).put("endpoint", s3Endpoint.toString());
    }
    if (spec.has("schedule")) {
      spec.remove("schedule"); // the demo trains once now instead of at 03:00
    }
    return Serialization.unmarshal(
        mapper.writeValueAsString(tree), GenericKubernetesResource.class);
  }

  /**
   * Puts a registry that refuses stages (a {@link dev.almanac.testbed.MlflowProxy}) in front of
   * MLflow before {@link #run}: the whole loop must work by alias alone.
   */
  public DemoStack refusingStages() {
    stagesRefused = true;
    return this;
  }

  /**
   * Stage calls the stage-refusing registry answered with an error (0 without {@link
   * #refusingStages}).
   */
  public int refusedStageCalls() {
    return stageless == null ? 0 : stageless.refusedStageCalls();
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  void say(String line) {
    out.printf("[%6s] %s%n", elapsed(), line);
    out.flush();
  }

  private String elapsed() {
    long s = (System.nanoTime() - started) / 1_000_000_000L;
    return String.format("%d:%02d", s / 60, s % 60);
  }

  public void close() {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        out.println("stop: " + e.getMessage());
      }
    }
  }
}
