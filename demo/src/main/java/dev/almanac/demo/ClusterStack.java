package dev.almanac.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.almanac.testbed.CommandRun;
import dev.almanac.testbed.MlflowServer;
import dev.almanac.testbed.RealNode;
import dev.almanac.testbed.S3Server;
import dev.almanac.testbed.Timeouts;
import dev.almanac.testbed.Tools;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Almanac on a real node, set up as a new user would (the node tier's tests and {@code make
 * demo-cluster} share it): the real node, MLflow and S3 on the host (relayed to the node's IP), the
 * three Jib image tars imported into containerd, the chart installed with {@code helm install} into
 * a namespace that enforces the restricted Pod Security Standard, and the two examples applied
 * pointed at the relayed MLflow and S3.
 *
 * <p>MLflow and S3 run on the host rather than as pods: the test bed already runs them there for
 * every other tier (same versions, same logs), they would need two more locally built images with
 * Python, and the pods still reach them only through the node's own address.
 */
public final class ClusterStack implements AutoCloseable {
  public static final String NAMESPACE = "almanac";
  public static final String RELEASE = "almanac";
  public static final String BUCKET = "almanac";
  static final List<String> EXAMPLES = List.of("covid-forecast", "disease-classifier");

  public final RealNode node;
  public final KubernetesClient client;
  public final S3Server s3;
  public final MlflowServer mlflow;
  public final URI mlflowForPods;
  public final URI s3ForPods;
  public final String imageTag;
  public final String imageRegistry;
  private final BiConsumer<String, Duration> timings;

  /** Starts everything up to a Ready chart; {@code timings} receives how long each step took. */
  public ClusterStack(String imageRegistry, String imageTag, BiConsumer<String, Duration> timings)
      throws Exception {
    this.imageRegistry = imageRegistry;
    this.imageTag = imageTag;
    this.timings = timings;
    node = RealNode.shared();
    client = node.client();
    timings.accept("node start -> pods can be created", node.startup());
    s3 = S3Server.start();
    s3.createBucket(BUCKET);
    mlflow = MlflowServer.start(s3, BUCKET);
    mlflowForPods = node.expose(mlflow.trackingUri());
    s3ForPods = node.expose(s3.endpoint());
    uploadData();

    var project = Tools.projectDir();
    var tars = imageTars();
    for (var tar : tars) {
      if (!Files.isRegularFile(tar)) {
        throw new IllegalStateException(
            tar
                + " is missing: build the images first (mvn -Pimages verify -DskipTests "
                + "-Dimage.base=tar://$HOME/.cache/almanac/node/images/jre17.tar, or make test)");
      }
    }
    var started = System.nanoTime();
    node.importImages(tars);
    timings.accept(
        "import the three image tars into containerd",
        Duration.ofNanos(System.nanoTime() - started));

    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(NAMESPACE)
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                .addToLabels("pod-security.kubernetes.io/enforce-version", "latest")
                .endMetadata()
                .build())
        .serverSideApply();
    ExampleSecrets.apply(client, NAMESPACE, s3);

    started = System.nanoTime();
    helm(
        "install",
        RELEASE,
        project.resolve("helm/almanac").toString(),
        "--namespace",
        NAMESPACE,
        "--set",
        "replicas=2",
        "--set",
        "image.repository=" + imageRegistry + "/almanac-operator",
        "--set",
        "image.tag=" + imageTag,
        "--set",
        "image.pullPolicy=IfNotPresent",
        "--set",
        "workloadImages.trainer.repository=" + imageRegistry + "/almanac-trainer",
        "--set",
        "workloadImages.trainer.tag=" + imageTag,
        "--set",
        "workloadImages.server.repository=" + imageRegistry + "/almanac-model-server",
        "--set",
        "workloadImages.server.tag=" + imageTag,
        "--set",
        "registryPollSeconds=10",
        "--set",
        "networkPolicy.enabled=true",
        "--wait",
        "--timeout",
        Timeouts.seconds(300).toSeconds() + "s");
    timings.accept(
        "helm install -> 2 operator replicas Ready", Duration.ofNanos(System.nanoTime() - started));
  }

  /**
   * {@code make demo-cluster}: the stack, the examples, a wait until both models serve, then where
   * everything is; writes {@code <state>/READY} and keeps MLflow and S3 running until killed.
   * Usage: {@code ClusterStack <state-dir> <image-registry> <image-tag>}.
   */
  public static void main(String[] args) throws Exception {
    var state = Path.of(args[0]).toAbsolutePath();
    Files.createDirectories(state);
    var started = System.nanoTime();
    java.util.function.Consumer<String> say =
        line ->
            System.out.printf("[%4ds] %s%n", (System.nanoTime() - started) / 1_000_000_000L, line);
    ClusterStack stack;
    try {
      say.accept(
          "starting the node, MLflow and S3; importing the images; helm install (2 operator replicas)");
      stack =
          new ClusterStack(
              args[1],
              args[2],
              (what, d) -> say.accept(what + ": " + d.toMillis() / 1000.0 + " s"));
      Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "cluster-demo-stop"));
      stack.applyExamples();
      say.accept(
          "applied examples/covid-forecast and examples/disease-classifier (MLflow, S3 and data relayed to the node)");
      new DemoProgress(stack.client, NAMESPACE, say).awaitAllServing(Duration.ofMinutes(20));
    } catch (Exception e) {
      say.accept("FAILED: " + e.getMessage());
      Files.writeString(state.resolve("FAILED"), String.valueOf(e.getMessage()));
      System.exit(1);
      return;
    }
    var lines = new ArrayList<String>();
    lines.add("");
    lines.add(
        "Almanac runs on a real node (kubelet + containerd) in network namespace "
            + stack.node.namespace()
            + ":");
    lines.add("  export KUBECONFIG=" + stack.node.kubeconfig());
    lines.add(
        "  kubectl get pods -A -o wide               # operator, trainer and model-server pods");
    lines.add("  kubectl get fp,mdep -n " + NAMESPACE);
    lines.addAll(DemoProgress.productionSummary(stack.client, NAMESPACE));
    lines.add(
        "  dashboards: kubectl -n "
            + NAMESPACE
            + " port-forward svc/covid-cases 8080:8080   -> http://127.0.0.1:8080/");
    lines.add(
        "              kubectl -n "
            + NAMESPACE
            + " port-forward svc/disease-classifier 8081:8080 -> http://127.0.0.1:8081/");
    lines.add("  MLflow UI:  " + stack.mlflow.trackingUri());
    lines.add("  node logs:  " + stack.node.stateDir().resolve("logs"));
    lines.add("  stop:       make demo-cluster-down");
    lines.forEach(say);
    Files.write(state.resolve("READY"), lines);
    Thread.currentThread().join();
  }

  /** The three image tars Jib wrote ({@code mvn -Pimages verify}). */
  public static List<Path> imageTars() {
    var project = Tools.projectDir();
    return List.of(
        project.resolve("operator/target/almanac-operator-image.tar"),
        project.resolve("trainer-image/target/almanac-trainer-image.tar"),
        project.resolve("model-server/target/almanac-model-server-image.tar"));
  }

  /** Stops MLflow and S3; the node itself goes down with the JVM ({@link RealNode}). */
  @Override
  public void close() {
    mlflow.close();
    s3.close();
  }

  /**
   * The example as a user would apply it, with MLflow, S3 and the data pointed at this cluster's.
   */
  public GenericKubernetesResource example(String example, String file) throws IOException {
    var mapper = new ObjectMapper(new YAMLFactory());
    var tree =
        (ObjectNode)
            mapper.readTree(
                Tools.projectDir().resolve("examples").resolve(example).resolve(file).toFile());
    var spec = (ObjectNode) tree.get("spec");
    ((ObjectNode) spec.get("mlflow")).put("trackingUri", mlflowForPods.toString());
    ((ObjectNode) spec.get("artifacts").get("s3")).put("endpoint", s3ForPods.toString());
    spec.remove("schedule"); // train once now instead of at 03:00
    if (spec.has("data")) {
      // no volume with the data sets in a restricted pod: the trainer reads them from S3
      var data = (ObjectNode) spec.get("data");
      var path = data.get("source").get("path").asText();
      ((ObjectNode) data.get("source")).remove("path");
      ((ObjectNode) data.get("source"))
          .putObject("s3")
          .put("bucket", BUCKET)
          .put("key", "data/" + path);
      // a 2-core node: the examples' 1-CPU trainer request would queue the second trainer
      spec.withObject("/trainer/resources/requests").put("cpu", "250m");
    } else {
      spec.withObject("/server/resources/requests").put("cpu", "100m");
    }
    return Serialization.unmarshal(
        mapper.writeValueAsString(tree), GenericKubernetesResource.class);
  }

  public void applyExamples() throws IOException {
    for (var example : EXAMPLES) {
      for (var file : List.of("pipeline.yaml", "model-deployment.yaml")) {
        client
            .resource(example(example, file))
            .inNamespace(NAMESPACE)
            .forceConflicts()
            .serverSideApply();
      }
    }
  }

  /** The data sets in S3, path style. */
  private void uploadData() throws IOException, InterruptedException {
    var http = HttpClient.newHttpClient();
    var data = Tools.dataDir();
    for (var file :
        List.of(
            "owid-covid/owid-covid-slim.csv.gz",
            "disease-symptoms/Training.csv",
            "disease-symptoms/Testing.csv")) {
      // moto checks no signature but treats a request without one as anonymous; public-read lets
      // the trainer fetch a test split by plain URL
      var response =
          http.send(
              HttpRequest.newBuilder(s3.endpoint().resolve("/" + BUCKET + "/data/" + file))
                  .header(
                      "Authorization",
                      "AWS4-HMAC-SHA256 Credential="
                          + s3.accessKey()
                          + "/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0")
                  .header("x-amz-acl", "public-read")
                  .PUT(HttpRequest.BodyPublishers.ofFile(data.resolve(file)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "cannot upload "
                + file
                + " to S3: HTTP "
                + response.statusCode()
                + " "
                + response.body());
      }
    }
  }

  /** Runs helm against the node with the host kubeconfig; fails with its output. */
  public String helm(String... args) throws IOException, InterruptedException {
    var command = new ArrayList<String>();
    command.add(Tools.helm().toString());
    command.addAll(List.of(args));
    command.add("--kubeconfig=" + node.kubeconfig());
    return run(command, Timeouts.seconds(400));
  }

  public String kubectl(String... args) throws IOException, InterruptedException {
    var command = new ArrayList<String>();
    command.add(Tools.kubectl().toString());
    command.add("--kubeconfig=" + node.kubeconfig());
    command.addAll(List.of(args));
    return run(command, Timeouts.seconds(120));
  }

  private static String run(List<String> command, Duration timeout)
      throws IOException, InterruptedException {
    var run = CommandRun.of(command, timeout);
    if (run.timedOut()) {
      throw new IllegalStateException(String.join(" ", command) + " timed out: " + run.output());
    }
    if (run.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + run.output());
    }
    return run.output();
  }

  /** Kubelet's view of a pod's memory (working set, bytes) from the node's stats summary. */
  public Map<String, Long> podMemory() throws IOException {
    var summary =
        new ObjectMapper().readTree(client.raw("/api/v1/nodes/almanac-node/proxy/stats/summary"));
    var result = new java.util.TreeMap<String, Long>();
    for (var pod : summary.path("pods")) {
      if (NAMESPACE.equals(pod.path("podRef").path("namespace").asText())) {
        result.put(
            pod.path("podRef").path("name").asText(),
            pod.path("memory").path("workingSetBytes").asLong());
      }
    }
    return result;
  }
}
