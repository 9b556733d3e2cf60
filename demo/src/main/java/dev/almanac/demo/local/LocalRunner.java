package dev.almanac.demo.local;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays kubelet and the Job/Deployment controllers for a cluster with no nodes: every Job and
 * Deployment the operator creates (label {@code app.kubernetes.io/managed-by=almanac-operator})
 * runs as local Java processes of this build's jars, and their status is written back as Kubernetes
 * would write it (Pods with termination messages, Job conditions, Deployment replica counts).
 * Server replicas listen on free loopback ports; {@link #endpoints(String, String)} tells which.
 */
public final class LocalRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalRunner.class);
  private static final String SELECTOR = "app.kubernetes.io/managed-by";
  private static final String MANAGER = "almanac-operator";
  private static final int MESSAGE_LIMIT = 4096;

  private final KubernetesClient client;
  private final LocalImages images;
  private final Path workDir;
  private final Map<String, String> extraEnv;
  private final ExecutorService pool =
      Executors.newCachedThreadPool(
          r -> {
            var t = new Thread(r, "local-runner");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, Boolean> startedJobs = new ConcurrentHashMap<>();
  private final Map<String, ServerReplicas> servers = new ConcurrentHashMap<>();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private volatile Consumer<String> progress = LOG::info;

  public LocalRunner(
      KubernetesClient client, LocalImages images, Path workDir, Map<String, String> extraEnv) {
    this.client = client;
    this.images = images;
    this.workDir = workDir;
    this.extraEnv = Map.copyOf(extraEnv);
  }

  /** Where progress lines go (the demo prints them). */
  public LocalRunner onProgress(Consumer<String> sink) {
    this.progress = sink;
    return this;
  }

  public LocalRunner start() {
    informers.add(
        client
            .batch()
            .v1()
            .jobs()
            .inAnyNamespace()
            .withLabel(SELECTOR, MANAGER)
            .inform(handler(this::onJob)));
    informers.add(
        client
            .apps()
            .deployments()
            .inAnyNamespace()
            .withLabel(SELECTOR, MANAGER)
            .inform(handler(this::onDeployment)));
    return this;
  }

  /**
   * How many replica processes of a Deployment run (ready or not): what a roll adds and retires.
   */
  int runningReplicas(String namespace, String deployment) {
    var replicas = servers.get(namespace + "/" + deployment);
    return replicas == null ? 0 : replicas.running();
  }

  /** Loopback URLs of the ready replicas of a Deployment. */
  public List<URI> endpoints(String namespace, String deployment) {
    var replicas = servers.get(namespace + "/" + deployment);
    return replicas == null ? List.of() : replicas.readyUrls();
  }

  private static <T> ResourceEventHandler<T> handler(Consumer<T> onChange) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        onChange.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        onChange.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {}
    };
  }

  // ---- Jobs ----

  private void onJob(Job job) {
    var key = job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
    var status = job.getStatus();
    boolean finished =
        status != null
            && status.getConditions() != null
            && status.getConditions().stream()
                .anyMatch(
                    c ->
                        ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                            && "True".equals(c.getStatus()));
    if (finished || startedJobs.putIfAbsent(key, true) != null) {
      return;
    }
    pool.submit(() -> runJob(job));
  }

  private void runJob(Job job) {
    var meta = job.getMetadata();
    var completions = job.getSpec().getCompletions() == null ? 1 : job.getSpec().getCompletions();
    var indexed = "Indexed".equals(job.getSpec().getCompletionMode());
    // like the Job controller: up to spec.parallelism pods at once (default 1)
    var parallelism =
        Math.max(
            1,
            Math.min(
                completions,
                job.getSpec().getParallelism() == null ? 1 : job.getSpec().getParallelism()));
    var start = now();
    editJobStatus(
        meta,
        "mark started",
        s -> {
          s.setStartTime(start);
          s.setActive(parallelism);
        });
    var exits = new ArrayList<Integer>();
    if (parallelism == 1) {
      for (int index = 0; index < completions; index++) {
        exits.add(runPod(job, index, indexed, start));
      }
    } else {
      var tasks = new ArrayList<Callable<Integer>>();
      for (int index = 0; index < completions; index++) {
        final int i = index;
        tasks.add(() -> runPod(job, i, indexed, start));
      }
      var shards =
          Executors.newFixedThreadPool(
              parallelism,
              r -> {
                var t = new Thread(r, "local-runner-" + meta.getName());
                t.setDaemon(true);
                return t;
              });
      try {
        for (var f : shards.invokeAll(tasks)) {
          exits.add(f.get());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException e) {
        exits.add(127);
        LOG.warn("job {}: {}", meta.getName(), e.getCause().toString());
      } finally {
        shards.shutdownNow();
      }
    }
    int succeeded = (int) exits.stream().filter(e -> e == 0).count();
    int failed = exits.size() - succeeded;
    String failure =
        exits.stream()
            .filter(e -> e != 0)
            .reduce((a, b) -> b)
            .map(e -> "container exited with code " + e)
            .orElse(null);
    finishJob(job, succeeded, failed, failure, start);
  }

  /** Runs the Job's pod (index {@code index} of an Indexed Job) to completion; its exit code. */
  private int runPod(Job job, int index, boolean indexed, String start) {
    var meta = job.getMetadata();
    var podName = meta.getName() + (indexed ? "-" + index : "") + "-local";
    var dir = workDir.resolve("jobs").resolve(meta.getNamespace()).resolve(podName);
    var env = new java.util.HashMap<>(extraEnv);
    if (indexed) {
      env.put("JOB_COMPLETION_INDEX", Integer.toString(index));
    }
    progress.accept(
        "job "
            + meta.getNamespace()
            + "/"
            + meta.getName()
            + (indexed ? " shard " + index : "")
            + ": running");
    var started = System.nanoTime();
    int exit;
    String message;
    try {
      var command =
          LocalCommand.of(
              client, job, podName, job.getSpec().getTemplate().getSpec(), images, dir, env);
      exit = runToCompletion(command, dir.resolve("log.txt"));
      message = terminationMessage(command, exit, dir.resolve("log.txt"));
    } catch (RuntimeException e) {
      exit = 127;
      message = "local runner could not start the container: " + e.getMessage();
    }
    var seconds = (System.nanoTime() - started) / 1_000_000_000.0;
    progress.accept(
        String.format(
            "job %s/%s%s: %s in %.1f s",
            meta.getNamespace(),
            meta.getName(),
            indexed ? " shard " + index : "",
            exit == 0 ? "succeeded" : "failed (exit " + exit + ")",
            seconds));
    writePod(job, podName, index, indexed, exit, message, start);
    return exit;
  }

  private int runToCompletion(LocalCommand command, Path log) {
    try {
      return launch(command, log).waitFor();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + command.argv(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  /**
   * Starts a container's command with its output in {@code log}; close() stops it with everything
   * else.
   */
  private Process launch(LocalCommand command, Path log) throws IOException {
    var builder =
        new ProcessBuilder(command.argv())
            .directory(command.workDir().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(command.env());
    var process = builder.start();
    synchronized (processes) {
      processes.add(process);
    }
    return process;
  }

  private static String terminationMessage(LocalCommand command, int exit, Path log) {
    try {
      if (Files.exists(command.terminationLog()) && Files.size(command.terminationLog()) > 0) {
        return truncate(Files.readString(command.terminationLog()));
      }
      if (exit != 0 && Files.exists(log)) {
        var lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return truncate(
            String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
      }
    } catch (IOException e) {
      return "cannot read termination message: " + e.getMessage();
    }
    return "";
  }

  private static String truncate(String s) {
    return s.length() <= MESSAGE_LIMIT ? s : s.substring(s.length() - MESSAGE_LIMIT);
  }

  private void writePod(
      Job job, String podName, int index, boolean indexed, int exit, String message, String start) {
    var meta = job.getMetadata();
    var labels = new java.util.LinkedHashMap<String, String>();
    if (job.getSpec().getTemplate().getMetadata() != null
        && job.getSpec().getTemplate().getMetadata().getLabels() != null) {
      labels.putAll(job.getSpec().getTemplate().getMetadata().getLabels());
    }
    labels.put("job-name", meta.getName());
    labels.put("batch.kubernetes.io/job-name", meta.getName());
    labels.put("controller-uid", meta.getUid());
    labels.put("batch.kubernetes.io/controller-uid", meta.getUid());
    var annotations = new java.util.LinkedHashMap<String, String>();
    if (indexed) {
      annotations.put("batch.kubernetes.io/job-completion-index", Integer.toString(index));
    }
    var spec = job.getSpec().getTemplate().getSpec();
    var pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(podName)
            .withNamespace(meta.getNamespace())
            .withLabels(labels)
            .withAnnotations(annotations)
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("batch/v1")
                    .withKind("Job")
                    .withName(meta.getName())
                    .withUid(meta.getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build())
            .endMetadata()
            .withSpec(spec)
            .build();
    try {
      var created = client.pods().inNamespace(meta.getNamespace()).resource(pod).create();
      var end = now();
      var container = spec.getContainers().get(0).getName();
      created.setStatus(
          new io.fabric8.kubernetes.api.model.PodStatusBuilder()
              .withPhase(exit == 0 ? "Succeeded" : "Failed")
              .withStartTime(start)
              .withContainerStatuses(
                  new ContainerStatusBuilder()
                      .withName(container)
                      .withImage(spec.getContainers().get(0).getImage())
                      .withReady(false)
                      .withRestartCount(0)
                      .withStarted(false)
                      .withState(
                          new ContainerStateBuilder()
                              .withNewTerminated()
                              .withExitCode(exit)
                              .withReason(exit == 0 ? "Completed" : "Error")
                              .withMessage(message)
                              .withStartedAt(start)
                              .withFinishedAt(end)
                              .endTerminated()
                              .build())
                      .build())
              .build());
      client.pods().inNamespace(meta.getNamespace()).resource(created).updateStatus();
    } catch (RuntimeException e) {
      LOG.warn("cannot write pod {}: {}", podName, e.getMessage());
    }
  }

  private void finishJob(Job job, int succeeded, int failed, String failure, String start) {
    var meta = job.getMetadata();
    var end = now();
    editJobStatus(
        meta,
        "write the final status",
        s -> {
          s.setActive(0);
          s.setStartTime(Objects.requireNonNullElse(s.getStartTime(), start));
          s.setSucceeded(succeeded);
          s.setFailed(failed);
          s.setReady(0);
          s.setTerminating(0);
          var conditions = new ArrayList<io.fabric8.kubernetes.api.model.batch.v1.JobCondition>();
          if (failure == null) {
            conditions.add(
                jobCondition(
                    "SuccessCriteriaMet",
                    "CompletionsReached",
                    "Reached expected number of succeeded pods",
                    end));
            conditions.add(
                jobCondition(
                    "Complete",
                    "CompletionsReached",
                    "Reached expected number of succeeded pods",
                    end));
            s.setCompletionTime(end);
          } else {
            conditions.add(
                jobCondition(
                    "FailureTarget",
                    "BackoffLimitExceeded",
                    "Job has reached the specified backoff limit",
                    end));
            conditions.add(
                jobCondition(
                    "Failed",
                    "BackoffLimitExceeded",
                    "Job has reached the specified backoff limit",
                    end));
          }
          s.setConditions(conditions);
        });
  }

  /**
   * Edits a Job's status subresource the way the Job controller would; a failure is only logged.
   */
  private void editJobStatus(ObjectMeta meta, String what, Consumer<JobStatus> edit) {
    try {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(meta.getNamespace())
          .withName(meta.getName())
          .editStatus(
              j -> {
                edit.accept(j.getStatus());
                return j;
              });
    } catch (RuntimeException e) {
      LOG.warn("cannot {} of job {}: {}", what, meta.getName(), e.getMessage());
    }
  }

  private static io.fabric8.kubernetes.api.model.batch.v1.JobCondition jobCondition(
      String type, String reason, String message, String time) {
    return new JobConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(reason)
        .withMessage(message)
        .withLastProbeTime(time)
        .withLastTransitionTime(time)
        .build();
  }

  // ---- Deployments ----

  private void onDeployment(Deployment deployment) {
    var key = deployment.getMetadata().getNamespace() + "/" + deployment.getMetadata().getName();
    var replicas =
        servers.computeIfAbsent(
            key,
            k ->
                new ServerReplicas(
                    deployment.getMetadata().getNamespace(), deployment.getMetadata().getName()));
    pool.submit(() -> replicas.reconcile(deployment));
  }

  /**
   * The local processes behind one Deployment. A new pod template rolls like a Deployment with
   * {@code maxSurge: 1, maxUnavailable: 0}: one new replica starts, and only once it is ready does
   * one old replica stop, until all are new. A new replica that never gets ready stops the roll
   * where it is; the replicas still running (old, and new ones already rolled) keep serving, as a
   * stuck rollout does. Differences from the real controller: no ReplicaSets, no readiness after
   * start (a replica that later stops answering stays in {@link #readyUrls()} until its process
   * exits), no progress deadline, and a failed template is not retried until the template changes.
   */
  private final class ServerReplicas {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    private final String namespace;
    private final String name;
    private String templateHash = "";
    private String failedHash = "";

    /** Replicas of the current template (status.updatedReplicas). */
    private int updated;

    /** A new replica is starting beside the running ones (the surge). */
    private volatile boolean surging;

    /** Read without the lock: callers see the replicas serving at each step of a roll. */
    private final List<Replica> current = new java.util.concurrent.CopyOnWriteArrayList<>();

    ServerReplicas(String namespace, String name) {
      this.namespace = namespace;
      this.name = name;
    }

    List<URI> readyUrls() {
      return current.stream().filter(Replica::ready).map(Replica::url).toList();
    }

    synchronized void reconcile(Deployment deployment) {
      var template = deployment.getSpec().getTemplate();
      var hash =
          Integer.toHexString(
              Objects.hash(
                  template.getSpec().toString(),
                  template.getMetadata() == null ? null : template.getMetadata().getAnnotations()));
      int want =
          deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
      if (hash.equals(failedHash) || (hash.equals(templateHash) && current.size() == want)) {
        writeStatus(deployment, current, hash.equals(templateHash) ? current.size() : updated);
        return;
      }
      if (hash.equals(templateHash)) {
        scale(deployment, hash, want);
        return;
      }
      var old = new ArrayList<>(current);
      updated = 0;
      writeStatus(deployment, current, updated);
      for (int i = 0; i < want; i++) {
        var fresh = startReplica(deployment, hash, i);
        surging = true;
        boolean ready = fresh.awaitReady(READY_TIMEOUT);
        if (!ready) {
          fresh.stop();
          surging = false;
          failedHash = hash;
          progress.accept(
              "deployment "
                  + namespace
                  + "/"
                  + name
                  + ": new replica "
                  + i
                  + " did not become ready; the roll stops, "
                  + current.size()
                  + " replica(s) keep serving");
          writeStatus(deployment, current, updated);
          return;
        }
        // the surge flag drops before the replica joins: running() never counts it twice
        surging = false;
        current.add(fresh);
        updated++;
        if (!old.isEmpty()) {
          var retired = old.remove(0);
          retired.stop();
          current.remove(retired);
        }
        writeStatus(deployment, current, updated);
      }
      old.forEach(Replica::stop);
      current.removeAll(old);
      templateHash = hash;
      progress.accept(
          "deployment "
              + namespace
              + "/"
              + name
              + ": "
              + want
              + " replica(s) ready at "
              + readyUrls());
      writeStatus(deployment, current, updated);
    }

    int running() {
      return current.size() + (surging ? 1 : 0);
    }

    /** Same template, another replica count: add or stop replicas, the others keep running. */
    private void scale(Deployment deployment, String hash, int want) {
      while (current.size() > want) {
        current.remove(current.size() - 1).stop();
      }
      while (current.size() < want) {
        var fresh = startReplica(deployment, hash, current.size());
        if (!fresh.awaitReady(READY_TIMEOUT)) {
          fresh.stop();
          progress.accept(
              "deployment " + namespace + "/" + name + ": an added replica did not become ready");
          break;
        }
        current.add(fresh);
      }
      updated = current.size();
      writeStatus(deployment, current, updated);
    }

    private Replica startReplica(Deployment deployment, String hash, int index) {
      var port = dev.almanac.testbed.ManagedProcess.freePort();
      var podName = name + "-" + hash + "-" + index;
      var dir = workDir.resolve("deployments").resolve(namespace).resolve(podName);
      var env = new java.util.HashMap<>(extraEnv);
      env.put("ALMANAC_PORT", Integer.toString(port));
      env.put("ALMANAC_BIND", "127.0.0.1");
      try {
        var command =
            LocalCommand.of(
                client,
                deployment,
                podName,
                deployment.getSpec().getTemplate().getSpec(),
                images,
                dir,
                env);
        var process = launch(command, dir.resolve("log.txt"));
        progress.accept(
            "deployment "
                + namespace
                + "/"
                + name
                + ": starting replica "
                + index
                + " on port "
                + port);
        return new Replica(process, URI.create("http://127.0.0.1:" + port), dir.resolve("log.txt"));
      } catch (IOException | RuntimeException e) {
        progress.accept(
            "deployment " + namespace + "/" + name + ": cannot start replica: " + e.getMessage());
        return new Replica(null, URI.create("http://127.0.0.1:" + port), dir.resolve("log.txt"));
      }
    }

    /**
     * As the Deployment controller writes it: the generation seen, how many replicas run the new
     * template.
     */
    private void writeStatus(Deployment deployment, List<Replica> replicas, int updated) {
      int ready = (int) replicas.stream().filter(Replica::ready).count();
      var deployments = client.apps().deployments().inNamespace(namespace).withName(name);
      for (int attempt = 0; attempt < 5; attempt++) {
        var latest = deployments.get();
        if (latest == null) {
          return;
        }
        var old =
            latest.getStatus() == null
                ? new io.fabric8.kubernetes.api.model.apps.DeploymentStatus()
                : latest.getStatus();
        Long observed = latest.getMetadata().getGeneration();
        boolean progressing = updated < replicas.size();
        if (Objects.equals(old.getObservedGeneration(), observed)
            && Objects.equals(old.getReplicas(), replicas.size())
            && Objects.equals(old.getUpdatedReplicas(), updated)
            && Objects.equals(old.getReadyReplicas(), ready)) {
          return; // unchanged: writing would only wake every watcher (including us) again
        }
        var time = now();
        var s = new io.fabric8.kubernetes.api.model.apps.DeploymentStatus();
        s.setObservedGeneration(observed);
        s.setReplicas(replicas.size());
        s.setUpdatedReplicas(updated);
        s.setReadyReplicas(ready);
        s.setAvailableReplicas(ready);
        s.setUnavailableReplicas(Math.max(0, replicas.size() - ready));
        s.setConditions(
            List.of(
                new DeploymentConditionBuilder()
                    .withType("Available")
                    .withStatus(ready > 0 ? "True" : "False")
                    .withReason(
                        ready > 0 ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable")
                    .withLastUpdateTime(time)
                    .withLastTransitionTime(time)
                    .build(),
                new DeploymentConditionBuilder()
                    .withType("Progressing")
                    .withStatus("True")
                    .withReason(progressing ? "ReplicaSetUpdated" : "NewReplicaSetAvailable")
                    .withLastUpdateTime(time)
                    .withLastTransitionTime(time)
                    .build()));
        latest.setStatus(s);
        try {
          client.apps().deployments().inNamespace(namespace).resource(latest).updateStatus();
          return;
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
          if (e.getCode() != 409) {
            LOG.warn(
                "cannot write status of deployment {}/{}: {}", namespace, name, e.getMessage());
            return;
          }
        }
      }
    }
  }

  private record Replica(Process process, URI url, Path log) {
    private static final HttpClient HTTP =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    boolean ready() {
      if (process == null || !process.isAlive()) {
        return false;
      }
      try {
        var response =
            HTTP.send(
                HttpRequest.newBuilder(url.resolve("/v2/health/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        return response.statusCode() == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    boolean awaitReady(Duration timeout) {
      var deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (ready()) {
          return true;
        }
        if (process == null || !process.isAlive()) {
          return false;
        }
        try {
          Thread.sleep(250);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return false;
    }

    void stop() {
      if (process != null) {
        process.destroy();
      }
    }
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    synchronized (processes) {
      processes.forEach(p -> p.descendants().forEach(ProcessHandle::destroy));
      processes.forEach(Process::destroy);
    }
    pool.shutdownNow();
  }
}
