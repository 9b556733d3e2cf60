import dev.almanac.api.v1alpha1.common.MlflowSpec;
import dev.almanac.api.v1alpha1.pipeline.DataSource;
import dev.almanac.api.v1alpha1.pipeline.DataSpec;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipelineSpec;
import dev.almanac.api.v1alpha1.pipeline.Task;
import dev.almanac.operator.AlmanacOperator;
import dev.almanac.operator.config.OperatorConfig;
import dev.almanac.registry.RegistryUnavailableException;
import dev.almanac.testbed.KubeApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Scale benchmark of the ForecastPipeline controller: N scheduled pipelines created on the real
 * kube-apiserver of the test bed, the operator running in-process. Measures the time until every
 * pipeline has its first status (schedule computed, conditions written), the per-pipeline latency
 * from creation to first status (p50/p99), and heap/RSS of the process after a GC.
 *
 * Run with benchmarks/operator/run.sh [count] (default 1000).
 */
public class OperatorScaleBenchmark {
  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    // "cold": create every pipeline first, then start the operator (restart / failover at scale)
    boolean cold = args.length > 1 && args[1].equals("cold");
    var kube = KubeApiServer.shared();
    for (int attempt = 1; ; attempt++) {
      try {
        kube.applyAlmanacCrds();
        break;
      } catch (NullPointerException e) {
        if (attempt == 10) throw e;
        Thread.sleep(200);
      }
    }
    var client = kube.newClient();
    var ns = "bench-" + System.currentTimeMillis() / 1000;
    client.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();

    var created = new ConcurrentHashMap<String, Instant>();
    var firstStatus = new ConcurrentHashMap<String, Instant>();
    var watch = client.resources(ForecastPipeline.class).inNamespace(ns).watch(new Watcher<ForecastPipeline>() {
      @Override public void eventReceived(Action action, ForecastPipeline fp) {
        if (fp.getStatus() != null && fp.getStatus().getNextScheduleTime() != null) {
          firstStatus.putIfAbsent(fp.getMetadata().getName(), Instant.now());
        }
      }
      @Override public void onClose(WatcherException cause) { }
    });

    var config = OperatorConfig.fromEnv(Map.of(
        OperatorConfig.WATCH_NAMESPACES, ns,
        OperatorConfig.LEASE_NAME, "bench",
        OperatorConfig.POD_NAME, "bench",
        OperatorConfig.POD_NAMESPACE, ns,
        OperatorConfig.TRAINER_IMAGE, "trainer:bench",
        OperatorConfig.SERVER_IMAGE, "server:bench",
        OperatorConfig.HTTP_PORT, "0",
        OperatorConfig.RECONCILE_THREADS, "10",
        OperatorConfig.READ_CREDENTIAL_SECRETS, "true"));
    var options = new AlmanacOperator.Options(false, Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2),
        true, Duration.ofSeconds(30), false);
    var operatorClient = kube.newClient();
    var operator = new AlmanacOperator(config, operatorClient, Clock.systemUTC(), new SimpleMeterRegistry(),
        (namespace, spec) -> { throw new RegistryUnavailableException("no registry in the scale benchmark", 0, null); }, options);
    if (!cold) {
      operator.start();
    }

    var pool = Executors.newFixedThreadPool(8);
    Instant start = Instant.now();
    for (int i = 0; i < count; i++) {
      var name = "fp-" + i;
      pool.submit(() -> {
        created.put(name, Instant.now());
        client.resource(pipeline(ns, name, i(name))).create();
      });
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.MINUTES);
    var createdAll = Instant.now();
    var createSeconds = Duration.between(start, createdAll).toMillis() / 1000.0;
    if (cold) {
      start = Instant.now();
      for (var name : created.keySet()) {
        created.put(name, start);
      }
      operator.start();
    }
    while (firstStatus.size() < count && Duration.between(start, Instant.now()).toMinutes() < 15) {
      Thread.sleep(100);
    }
    var done = Instant.now();
    var latencies = new ArrayList<Long>();
    for (var e : firstStatus.entrySet()) {
      latencies.add(Duration.between(created.get(e.getKey()), e.getValue()).toMillis());
    }
    Collections.sort(latencies);
    System.gc();
    Thread.sleep(500);
    var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    var rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS"))
        .findFirst().orElse("VmRSS: ? kB").replaceAll("\\s+", " ");
    System.out.printf("mode=%s pipelines=%d reconciled=%d create_all_s=%.1f all_reconciled_s=%.1f p50_ms=%d p99_ms=%d max_ms=%d "
            + "heap_after_gc_mib=%.0f %s (whole JVM: apiserver client + operator + watch)%n",
        cold ? "cold-start" : "create-while-running", count, firstStatus.size(), createSeconds,
        Duration.between(start, done).toMillis() / 1000.0, pct(latencies, 50), pct(latencies, 99),
        latencies.isEmpty() ? -1 : latencies.get(latencies.size() - 1), heap / 1048576.0, rss);
    watch.close();
    operator.close();
    operatorClient.close();
    client.close();
    System.exit(0);
  }

  static int i(String name) {
    return Integer.parseInt(name.substring(3));
  }

  static long pct(ArrayList<Long> sorted, int p) {
    if (sorted.isEmpty()) return -1;
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  static ForecastPipeline pipeline(String ns, String name, int i) {
    var fp = new ForecastPipeline();
    fp.getMetadata().setName(name);
    fp.getMetadata().setNamespace(ns);
    var spec = new ForecastPipelineSpec();
    spec.setTask(Task.FORECAST);
    spec.setSchedule((i % 60) + " 3 * * *");
    var data = new DataSpec();
    var source = new DataSource();
    source.setPath("/data/covid.csv");
    data.setSource(source);
    data.setTarget("new_cases");
    spec.setData(data);
    var mlflow = new MlflowSpec();
    mlflow.setTrackingUri("http://mlflow:5000");
    mlflow.setRegisteredModel("bench-" + i);
    spec.setMlflow(mlflow);
    fp.setSpec(spec);
    return fp;
  }
}
