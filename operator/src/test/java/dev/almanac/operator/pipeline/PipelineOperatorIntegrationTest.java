package dev.almanac.operator.pipeline;

import static dev.almanac.operator.pipeline.Pipelines.pipeline;
import static dev.almanac.operator.pipeline.Pipelines.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.almanac.api.v1alpha1.common.ConditionType;
import dev.almanac.api.v1alpha1.common.Conditions;
import dev.almanac.api.v1alpha1.pipeline.ConcurrencyPolicy;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipelineSpec;
import dev.almanac.api.v1alpha1.pipeline.RunDecision;
import dev.almanac.api.v1alpha1.pipeline.RunPhase;
import dev.almanac.api.v1alpha1.pipeline.RunRecord;
import dev.almanac.operator.AlmanacOperator;
import dev.almanac.operator.Annotations;
import dev.almanac.operator.config.OperatorConfig;
import dev.almanac.registry.MlflowHttp;
import dev.almanac.registry.MlflowModelRegistry;
import dev.almanac.registry.MlflowSettings;
import dev.almanac.registry.Stage;
import dev.almanac.testbed.KubeApiServer;
import dev.almanac.testbed.KubeApiServerExtension;
import dev.almanac.testbed.MlflowProxy;
import dev.almanac.testbed.MlflowTestBed;
import dev.almanac.testbed.Timeouts;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator in-process against the real kube-apiserver (SSA status, owner references, Lease) and
 * the real MLflow server (stages and aliases). Tests play kubelet and Job controller.
 */
@Tag("integration")
@ExtendWith({KubeApiServerExtension.class, MlflowTestBed.class})
class PipelineOperatorIntegrationTest {
  private static final Duration WAIT = Timeouts.seconds(60);
  private final List<AlmanacOperator> started = new ArrayList<>();
  private String ns;

  @BeforeAll
  static void crds(KubeApiServer kube) {
    // KubeApiServer.applyCrd's wait predicate throws while a new CRD has no conditions yet;
    // applying
    // again is idempotent (reported to the test bed's owner)
    for (int attempt = 1; ; attempt++) {
      try {
        kube.applyAlmanacCrds();
        return;
      } catch (NullPointerException e) {
        if (attempt == 10) {
          throw e;
        }
        await().pollDelay(Duration.ofMillis(200)).until(() -> true);
      }
    }
  }

  @AfterEach
  void stop() {
    started.forEach(AlmanacOperator::close);
  }

  private String namespace(KubernetesClient client) {
    ns = "fp-" + UUID.randomUUID().toString().substring(0, 8);
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    return ns;
  }

  private AlmanacOperator operator(
      KubernetesClient client, boolean leaderElection, String identity, MeterRegistry meters) {
    return operator(client, leaderElection, identity, meters, false);
  }

  private AlmanacOperator operator(
      KubernetesClient client,
      boolean leaderElection,
      String identity,
      MeterRegistry meters,
      boolean modelDeployments) {
    var config =
        OperatorConfig.fromEnv(
            Map.of(
                OperatorConfig.WATCH_NAMESPACES,
                ns,
                OperatorConfig.LEADER_ELECTION,
                Boolean.toString(leaderElection),
                OperatorConfig.LEASE_NAME,
                "almanac-" + ns,
                OperatorConfig.POD_NAME,
                identity,
                OperatorConfig.POD_NAMESPACE,
                ns,
                OperatorConfig.TRAINER_IMAGE,
                "almanac-trainer:it",
                OperatorConfig.SERVER_IMAGE,
                "almanac-model-server:it",
                OperatorConfig.HTTP_PORT,
                "0",
                OperatorConfig.RECONCILE_THREADS,
                "2",
                OperatorConfig.READ_CREDENTIAL_SECRETS,
                "true"));
    var options =
        new AlmanacOperator.Options(
            false,
            Duration.ofSeconds(4),
            Duration.ofSeconds(3),
            Duration.ofMillis(500),
            true,
            Duration.ofSeconds(1),
            modelDeployments);
    var operator =
        new AlmanacOperator(config, client, java.time.Clock.systemUTC(), meters, null, options);
    operator.start();
    started.add(operator);
    return operator;
  }

  private ForecastPipeline create(
      KubernetesClient client,
      String name,
      String model,
      MlflowTestBed.Endpoints bed,
      Consumer<ForecastPipelineSpec> edit) {
    return client
        .resource(
            pipeline(
                ns,
                name,
                model,
                s -> {
                  s.getMlflow().setTrackingUri(bed.trackingUri().toString());
                  edit.accept(s);
                }))
        .create();
  }

  private static ForecastPipeline get(KubernetesClient client, String ns, String name) {
    return client.resources(ForecastPipeline.class).inNamespace(ns).withName(name).get();
  }

  private List<Job> jobs(KubernetesClient client) {
    return client.batch().v1().jobs().inNamespace(ns).list().getItems();
  }

  private void annotate(KubernetesClient client, String name, String key, String value) {
    // a merge patch without resourceVersion: edit() would race the operator's status writes (409)
    client
        .resources(ForecastPipeline.class)
        .inNamespace(ns)
        .withName(name)
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"" + key + "\":\"" + value + "\"}}}");
  }

  private static RunRecord run(ForecastPipeline fp, String name) {
    return fp.getStatus().getRuns().stream()
        .filter(r -> r.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static MlflowModelRegistry mlflow(MlflowTestBed.Endpoints bed) {
    return new MlflowModelRegistry(new MlflowHttp(MlflowSettings.of(bed.trackingUri())));
  }

  private static String registerModel(MlflowModelRegistry mlflow, int versions) {
    var model = "it-" + UUID.randomUUID().toString().substring(0, 8);
    mlflow.createRegisteredModel(model, "operator IT");
    for (int i = 1; i <= versions; i++) {
      mlflow.createVersion(
          model, "s3://almanac-test/mlflow/" + model + "/" + i, null, Map.of(), null);
    }
    return model;
  }

  @Test
  void promotesInRealMlflowThenBlocksOnAGateAndRollsBack(
      KubernetesClient client, MlflowTestBed.Endpoints bed) {
    namespace(client);
    var mlflow = mlflow(bed);
    var model = registerModel(mlflow, 3);
    mlflow.transitionStage(model, "1", Stage.PRODUCTION, false);
    mlflow.setAlias(model, "production", "1");
    mlflow.transitionStage(model, "2", Stage.STAGING, false);
    mlflow.transitionStage(model, "3", Stage.STAGING, false);
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("mlflow-credentials")
                .withNamespace(ns)
                .endMetadata()
                .addToStringData("MLFLOW_TRACKING_USERNAME", "almanac")
                .addToStringData("MLFLOW_TRACKING_PASSWORD", "secret")
                .build())
        .create();
    var meters = new SimpleMeterRegistry();
    operator(client, false, "op-1", meters);
    var fp = create(client, "covid", model, bed, s -> {});

    await().atMost(WAIT).until(() -> jobs(client).size() == 1);
    var job = jobs(client).get(0);
    var runName = job.getMetadata().getName();
    assertThat(job.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(fp.getMetadata().getUid()));
    assertThat(client.configMaps().inNamespace(ns).withName(runName).get()).isNotNull();
    var start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Kubelet.finish(
        client, ns, runName, true, result("2", 0.5, "1", 0.9), start, start.plusSeconds(2));

    await()
        .atMost(WAIT)
        .until(() -> "2".equals(get(client, ns, "covid").getStatus().getProductionVersion()));
    assertThat(mlflow.getVersion(model, "2").stage()).isEqualTo(Stage.PRODUCTION);
    assertThat(mlflow.getVersion(model, "1").stage()).isEqualTo(Stage.ARCHIVED);
    assertThat(mlflow.versionByAlias(model, "production").version()).isEqualTo("2");
    var status = get(client, ns, "covid").getStatus();
    assertThat(run(get(client, ns, "covid"), runName).getDecision())
        .isEqualTo(RunDecision.Promoted);
    assertThat(
            Conditions.find(status.getConditions(), ConditionType.PROMOTED)
                .orElseThrow()
                .getReason())
        .isEqualTo("Promoted");
    assertThat(status.getObservedGeneration()).isEqualTo(fp.getMetadata().getGeneration());
    await()
        .atMost(WAIT)
        .until(
            () ->
                client.v1().events().inNamespace(ns).list().getItems().stream()
                    .anyMatch(
                        e ->
                            "Promoted".equals(e.getReason())
                                && e.getMessage().contains("version 2")));

    // a second run whose version does not beat production: nothing moves
    annotate(client, "covid", Annotations.RUN_NOW, "second");
    await().atMost(WAIT).until(() -> jobs(client).size() == 2);
    var second = RunNames.runNow(fp, "second");
    Kubelet.finish(
        client, ns, second, true, result("3", 0.7, "2", 0.5), start, start.plusSeconds(3));
    await()
        .atMost(WAIT)
        .until(() -> run(get(client, ns, "covid"), second).getPhase() == RunPhase.Succeeded);
    assertThat(run(get(client, ns, "covid"), second).getDecision())
        .isEqualTo(RunDecision.GateFailed);
    assertThat(mlflow.versionByAlias(model, "production").version()).isEqualTo("2");
    assertThat(mlflow.getVersion(model, "3").stage()).isEqualTo(Stage.STAGING);
    assertThat(get(client, ns, "covid").getMetadata().getAnnotations())
        .doesNotContainKey(Annotations.RUN_NOW);

    // rollback to 1
    annotate(client, "covid", Annotations.ROLLBACK_TO, "1");
    await()
        .atMost(WAIT)
        .until(() -> "1".equals(get(client, ns, "covid").getStatus().getProductionVersion()));
    assertThat(mlflow.versionByAlias(model, "production").version()).isEqualTo("1");
    assertThat(mlflow.getVersion(model, "1").stage()).isEqualTo(Stage.PRODUCTION);
    assertThat(mlflow.getVersion(model, "2").stage()).isEqualTo(Stage.ARCHIVED);
    assertThat(get(client, ns, "covid").getStatus().getPromotions())
        .extracting(p -> p.getReason())
        .containsExactly("RolledBack", "GateFailed", "Promoted");

    // deleting the pipeline (reconcile-on-delete) removes its series: no alert fires for a pipeline
    // that is gone
    assertThat(
            meters
                .find("almanac.last.successful.training.timestamp.seconds")
                .tag("pipeline", "covid")
                .gauge())
        .isNotNull();
    client.resources(ForecastPipeline.class).inNamespace(ns).withName("covid").delete();
    await()
        .atMost(WAIT)
        .until(
            () ->
                meters
                        .find("almanac.last.successful.training.timestamp.seconds")
                        .tag("pipeline", "covid")
                        .gauges()
                        .isEmpty()
                    && meters
                        .find("almanac.promotions")
                        .tag("pipeline", "covid")
                        .counters()
                        .isEmpty());
  }

  /**
   * The promotion loop on a registry that refuses stages (Unity Catalog-style, played by {@link
   * MlflowProxy#refusingStages}): the run's version is promoted by alias with {@code
   * promotion.stages: Auto}, a ModelDeployment following the alias rolls to it, and one following a
   * stage says why it cannot.
   */
  @Test
  void promotesByAliasWhenTheRegistryRefusesStages(
      KubernetesClient client, MlflowTestBed.Endpoints bed) {
    namespace(client);
    var mlflow = mlflow(bed); // the real server behind the proxy, to check what really happened
    var model = registerModel(mlflow, 2);
    mlflow.setAlias(model, "production", "1");
    try (var stageless = MlflowProxy.refusingStages(bed.trackingUri())) {
      var uri = stageless.trackingUri().toString();
      operator(client, false, "op-1", new SimpleMeterRegistry(), true);
      create(
          client,
          "nostages",
          model,
          bed,
          s -> {
            s.getMlflow().setTrackingUri(uri);
            s.getMlflow().setCredentialsSecretRef(null);
          });
      client
          .resource(deployment("by-alias", model, uri, ref -> ref.setAlias("production")))
          .create();
      client
          .resource(
              deployment(
                  "by-stage",
                  model,
                  uri,
                  ref -> ref.setStage(dev.almanac.api.v1alpha1.deployment.Stage.Production)))
          .create();
      await().atMost(WAIT).until(() -> "1".equals(servedTemplateVersion(client, "by-alias")));

      await().atMost(WAIT).until(() -> jobs(client).size() == 1);
      var runName = jobs(client).get(0).getMetadata().getName();
      var start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      Kubelet.finish(
          client, ns, runName, true, result("2", 0.5, "1", 0.9), start, start.plusSeconds(2));

      await()
          .atMost(WAIT)
          .until(() -> "2".equals(get(client, ns, "nostages").getStatus().getProductionVersion()));
      assertThat(run(get(client, ns, "nostages"), runName).getDecision())
          .isEqualTo(dev.almanac.api.v1alpha1.pipeline.RunDecision.Promoted);
      assertThat(stageless.refusedStageCalls()).as("Auto tried the stage once").isPositive();
      assertThat(mlflow.versionByAlias(model, "production").version()).isEqualTo("2");
      assertThat(mlflow.getVersion(model, "2").stage()).isEqualTo(Stage.NONE);
      assertThat(mlflow.getVersion(model, "2").tags()).containsEntry("almanac.role", "production");
      assertThat(mlflow.getVersion(model, "1").tags()).containsEntry("almanac.role", "archived");
      await().atMost(WAIT).until(() -> "2".equals(servedTemplateVersion(client, "by-alias")));
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                var resolved =
                    Conditions.find(
                            client
                                .resources(
                                    dev.almanac.api.v1alpha1.deployment.ModelDeployment.class)
                                .inNamespace(ns)
                                .withName("by-stage")
                                .get()
                                .getStatus()
                                .getConditions(),
                            ConditionType.MODEL_RESOLVED)
                        .orElseThrow();
                assertThat(resolved.getReason()).isEqualTo("ModelNotFound");
                assertThat(resolved.getMessage())
                    .contains("registry has no stages")
                    .contains("spec.model.alias");
              });
      assertThat(servedTemplateVersion(client, "by-stage")).isNull();
    }
  }

  private dev.almanac.api.v1alpha1.deployment.ModelDeployment deployment(
      String name,
      String model,
      String trackingUri,
      Consumer<dev.almanac.api.v1alpha1.deployment.ModelRef> pick) {
    var ref = new dev.almanac.api.v1alpha1.deployment.ModelRef();
    ref.setRegisteredModel(model);
    pick.accept(ref);
    var mlflowSpec = new dev.almanac.api.v1alpha1.common.MlflowSpec();
    mlflowSpec.setTrackingUri(trackingUri);
    mlflowSpec.setRegisteredModel(model);
    var spec = new dev.almanac.api.v1alpha1.deployment.ModelDeploymentSpec();
    spec.setModel(ref);
    spec.setMlflow(mlflowSpec);
    spec.setReplicas(1);
    var md = new dev.almanac.api.v1alpha1.deployment.ModelDeployment();
    md.getMetadata().setName(name);
    md.getMetadata().setNamespace(ns);
    md.setSpec(spec);
    return md;
  }

  private String servedTemplateVersion(KubernetesClient client, String name) {
    var d = client.apps().deployments().inNamespace(ns).withName(name).get();
    return d == null
        ? null
        : d.getSpec().getTemplate().getMetadata().getAnnotations().get(Annotations.MODEL_VERSION);
  }

  @Test
  void mlflowDownDuringPromotionIsRetriedWithoutPartialState(
      KubernetesClient client, MlflowTestBed.Endpoints bed) {
    namespace(client);
    var mlflow = mlflow(bed);
    var model = registerModel(mlflow, 1);
    operator(client, false, "op-1", new SimpleMeterRegistry());
    create(
        client,
        "outage",
        model,
        bed,
        s -> {
          s.setSchedule("0 0 1 1 *");
          s.getMlflow().setTrackingUri("http://127.0.0.1:9"); // nothing listens: connection refused
          s.getMlflow().setCredentialsSecretRef(null);
        });
    annotate(client, "outage", Annotations.RUN_NOW, "1");
    await().atMost(WAIT).until(() -> jobs(client).size() == 1);
    var runName = jobs(client).get(0).getMetadata().getName();
    var start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Kubelet.finish(
        client, ns, runName, true, result("1", 0.5, null, null), start, start.plusSeconds(1));

    await()
        .atMost(WAIT)
        .until(
            () ->
                Conditions.find(
                        get(client, ns, "outage").getStatus().getConditions(), ConditionType.READY)
                    .map(c -> "MlflowUnreachable".equals(c.getReason()))
                    .orElse(false));
    var during = get(client, ns, "outage").getStatus();
    assertThat(during.getProductionVersion()).isNull();
    assertThat(during.getPromotions()).isNullOrEmpty();
    assertThat(mlflow.getVersion(model, "1").stage()).isEqualTo(Stage.NONE);

    client
        .resources(ForecastPipeline.class)
        .inNamespace(ns)
        .withName("outage")
        .edit(
            fp -> {
              fp.getSpec().getMlflow().setTrackingUri(bed.trackingUri().toString());
              return fp;
            });
    await()
        .atMost(WAIT)
        .until(() -> "1".equals(get(client, ns, "outage").getStatus().getProductionVersion()));
    assertThat(mlflow.versionByAlias(model, "production").version()).isEqualTo("1");
    assertThat(
            Conditions.isTrue(
                get(client, ns, "outage").getStatus().getConditions(), ConditionType.READY))
        .isTrue();
  }

  @Test
  void aRestartedOperatorAdoptsTheRunningJobWithoutADuplicate(
      KubernetesClient client, MlflowTestBed.Endpoints bed) {
    namespace(client);
    var first = operator(client, false, "op-1", new SimpleMeterRegistry());
    create(client, "restart", "unused-model", bed, s -> {});
    await()
        .atMost(WAIT)
        .until(
            () ->
                jobs(client).size() == 1
                    && get(client, ns, "restart").getStatus() != null
                    && get(client, ns, "restart").getStatus().getActiveRuns() != null
                    && get(client, ns, "restart").getStatus().getActiveRuns().size() == 1);
    var runName = jobs(client).get(0).getMetadata().getName();
    first.close();
    started.remove(first);
    // status lost too (e.g. restored from a backup): the Job alone must be enough
    var fp = get(client, ns, "restart");
    fp.setStatus(null);
    client.resource(fp).updateStatus();

    var second = operator(client, false, "op-2", new SimpleMeterRegistry());
    await()
        .atMost(WAIT)
        .until(
            () ->
                get(client, ns, "restart").getStatus() != null
                    && get(client, ns, "restart").getStatus().getRuns() != null
                    && !get(client, ns, "restart").getStatus().getRuns().isEmpty());
    assertThat(jobs(client)).extracting(j -> j.getMetadata().getName()).containsExactly(runName);
    var start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Kubelet.finish(
        client,
        ns,
        runName,
        false,
        "java.lang.OutOfMemoryError: Java heap space",
        start,
        start.plusSeconds(5));
    await()
        .atMost(WAIT)
        .until(() -> run(get(client, ns, "restart"), runName).getPhase() == RunPhase.Failed);
    assertThat(run(get(client, ns, "restart"), runName).getReason()).contains("OutOfMemoryError");
    assertThat(jobs(client)).hasSize(1);
    assertThat(
            second.meters().find("almanac.training.runs").tag("result", "failed").counter().count())
        .isEqualTo(1.0);
    // the status read back from the server equals the one written: no patch/reconcile loop
    var settled = get(client, ns, "restart").getMetadata().getResourceVersion();
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Timeouts.seconds(10))
        .until(() -> settled.equals(get(client, ns, "restart").getMetadata().getResourceVersion()));
  }

  @Test
  void withLeaderElectionOnlyTheLeaderReconciles(
      KubernetesClient client, MlflowTestBed.Endpoints bed) {
    namespace(client);
    var metersA = new SimpleMeterRegistry();
    var metersB = new SimpleMeterRegistry();
    var a = operator(client, true, "op-a", metersA);
    var b = operator(client, true, "op-b", metersB);
    create(
        client,
        "leader",
        "unused-model",
        bed,
        s -> s.setConcurrencyPolicy(ConcurrencyPolicy.Allow));
    await()
        .atMost(WAIT)
        .until(() -> jobs(client).size() == 1 && get(client, ns, "leader").getStatus() != null);
    var lease = client.leases().inNamespace(ns).withName("almanac-" + ns).get();
    var holder = lease.getSpec().getHolderIdentity();
    assertThat(holder).isIn("op-a", "op-b");
    var leaderMeters = holder.equals("op-a") ? metersA : metersB;
    var standbyMeters = holder.equals("op-a") ? metersB : metersA;
    assertThat(leaderMeters.find("almanac.reconciliations").counters()).isNotEmpty();
    assertThat(standbyMeters.find("almanac.reconciliations").counters()).isEmpty();
    var leaderOp = holder.equals("op-a") ? a : b;
    var standbyOp = holder.equals("op-a") ? b : a;
    await().atMost(WAIT).until(leaderOp::watchingBatchPredictions);
    assertThat(standbyOp.watchingBatchPredictions())
        .as("only the leader reports failed batch Jobs")
        .isFalse();

    annotate(client, "leader", Annotations.RUN_NOW, "while-leading");
    await().atMost(WAIT).until(() -> jobs(client).size() == 2);
    assertThat(standbyMeters.find("almanac.reconciliations").counters()).isEmpty();

    // failover: the standby takes the lease and carries on
    var leader = holder.equals("op-a") ? a : b;
    leader.close();
    started.remove(leader);
    annotate(client, "leader", Annotations.RUN_NOW, "after-failover");
    await().atMost(WAIT).until(() -> jobs(client).size() == 3);
    assertThat(
            client
                .leases()
                .inNamespace(ns)
                .withName("almanac-" + ns)
                .get()
                .getSpec()
                .getHolderIdentity())
        .isNotEqualTo(holder);
    await()
        .atMost(WAIT)
        .until(() -> !standbyMeters.find("almanac.reconciliations").counters().isEmpty());
    assertThat(standbyOp.watchingBatchPredictions()).as("the new leader watches").isTrue();
  }
}
