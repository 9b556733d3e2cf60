package dev.almanac.testbed;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real one-node Kubernetes cluster (kubelet + containerd + runc, kube-proxy, the control plane)
 * in a network namespace of its own, started once per test JVM and torn down when the JVM exits,
 * leaving the host as it was. The lifecycle is {@code scripts/node.sh}: the same script runs {@code
 * make demo-cluster}, and a run that crashed is cleaned up with {@code bash scripts/node.sh down}.
 *
 * <p>The node reaches only addresses inside its namespace. Host servers (MLflow, S3) are made
 * reachable for pods with {@link #expose(URI)}; a ClusterIP or pod address is reachable from the
 * test JVM through {@link #forward(String, int)}. Needs root (namespaces, mounts) and {@code
 * scripts/node-tools.sh}.
 */
public final class RealNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RealNode.class);
  public static final String TOOLS_COMMAND = "bash scripts/node-tools.sh";
  private static StartedOnce<RealNode> shared;

  private final Path script;
  private final Path log;
  private final Map<String, String> env;
  private final Duration startup;
  private final KubernetesClient client;

  private RealNode(Path script, Path log, Map<String, String> env, Duration startup) {
    this.script = script;
    this.log = log;
    this.env = env;
    this.startup = startup;
    this.client =
        new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(read(kubeconfig()))).build();
  }

  /** The JVM-wide node, started on first use and torn down when the JVM exits. */
  public static synchronized RealNode shared() {
    if (shared == null) {
      shared = StartedOnce.attempt(RealNode::start);
      var node = shared;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      node.close();
                    } catch (Exception e) {
                      LOG.warn("node teardown: {}", e.getMessage());
                    }
                  },
                  "real-node-down"));
    }
    return shared.get();
  }

  private static RealNode start() {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new IllegalStateException(
          "the node test tier needs root (network namespace, mounts, containerd); "
              + "run it as root, or skip it with ALMANAC_SKIP_NODE_TESTS=true");
    }
    var script = Tools.projectDir().resolve("scripts/node.sh");
    var log = TestBedDirs.logDir().resolve("real-node.log");
    var started = System.nanoTime();
    run(script, log, Timeouts.seconds(300), "up");
    var startup = Duration.ofNanos(System.nanoTime() - started);
    var env = parseEnv(run(script, log, Duration.ofSeconds(30), "env"));
    LOG.info("real node up in {} ms ({})", startup.toMillis(), env.get("KUBECONFIG"));
    return new RealNode(script, log, env, startup);
  }

  /** True when the caller asked to skip the node tier (machines without root). */
  public static boolean skipped() {
    return "true".equalsIgnoreCase(System.getenv("ALMANAC_SKIP_NODE_TESTS"));
  }

  /** Admin kubeconfig for the host side (API relayed to host loopback). */
  public Path kubeconfig() {
    return Path.of(env.get("KUBECONFIG"));
  }

  /** An admin client (the test bed's own; do not close it). */
  public KubernetesClient client() {
    return client;
  }

  /** The node IP inside the namespace: pods reach exposed host ports on it. */
  public String nodeIp() {
    return env.get("NODE_IP");
  }

  /** The network namespace the node lives in. */
  public String namespace() {
    return env.get("NETNS");
  }

  /** Directory with the node's logs and state ({@code logs/kubelet.log}, ...). */
  public Path stateDir() {
    return Path.of(env.get("NODE_DIR"));
  }

  /** How long {@code node.sh up} took, to a node on which pods can be created. */
  public Duration startup() {
    return startup;
  }

  /** Loads image tars (docker-archive or OCI) into the node's containerd. */
  public void importImages(List<Path> tars) {
    var args = new ArrayList<String>();
    args.add("import");
    tars.forEach(t -> args.add(t.toAbsolutePath().toString()));
    run(script, log, Timeouts.seconds(300), args.toArray(String[]::new));
  }

  /**
   * A host loopback server ({@code http://127.0.0.1:port}) as pods see it: {@code
   * http://<node-ip>:port}.
   */
  public URI expose(URI hostUrl) {
    if (!"127.0.0.1".equals(hostUrl.getHost()) && !"localhost".equals(hostUrl.getHost())) {
      throw new IllegalArgumentException(
          "only host loopback servers can be exposed to the node, got " + hostUrl);
    }
    run(script, log, Timeouts.seconds(30), "expose", Integer.toString(hostUrl.getPort()));
    return URI.create(hostUrl.getScheme() + "://" + nodeIp() + ":" + hostUrl.getPort());
  }

  /** {@code ip:port} inside the node (a ClusterIP, a pod) on a free host loopback port. */
  public URI forward(String ip, int port) {
    int hostPort = ManagedProcess.freePort();
    run(script, log, Timeouts.seconds(30), "forward", ip + ":" + port, Integer.toString(hostPort));
    return URI.create("http://127.0.0.1:" + hostPort);
  }

  /**
   * Tears the node down, unless {@code ALMANAC_NODE_KEEP=true} asks to keep it for a look (then:
   * node.sh down).
   */
  @Override
  public void close() {
    client.close();
    if ("true".equalsIgnoreCase(System.getenv("ALMANAC_NODE_KEEP"))) {
      LOG.info("ALMANAC_NODE_KEEP=true: the node stays up; stop it with bash scripts/node.sh down");
      return;
    }
    run(script, log, Timeouts.seconds(180), "down");
  }

  private static Map<String, String> parseEnv(String output) {
    return output
        .lines()
        .filter(l -> l.contains("="))
        .collect(
            Collectors.toMap(
                l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
  }

  /** Runs {@code node.sh <args>}, appending its output to the log; returns its stdout. */
  private static String run(Path script, Path log, Duration timeout, String... args) {
    var command = new ArrayList<String>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    try {
      var run = CommandRun.of(command, timeout);
      if (run.timedOut()) {
        throw new IllegalStateException(
            "node.sh "
                + String.join(" ", args)
                + " did not finish in "
                + timeout
                + "; output: "
                + run.tail(15)
                + " (node logs: ~/.cache/almanac/node/run/logs)");
      }
      Files.writeString(
          log,
          run.output(),
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      if (run.exitCode() != 0) {
        throw new IllegalStateException(
            "node.sh "
                + String.join(" ", args)
                + " failed (exit "
                + run.exitCode()
                + "): "
                + run.tail(15)
                + (run.output().contains("node-tools.sh")
                    ? ""
                    : " (tools: " + TOOLS_COMMAND + ")"));
      }
      return run.output();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read kubeconfig " + file, e);
    }
  }

  @Override
  public String toString() {
    return "RealNode(" + env.get("KUBECONFIG") + ")";
  }
}
