package dev.almanac.operator.pipeline;

import static dev.almanac.operator.pipeline.Pipelines.pipeline;
import static dev.almanac.operator.pipeline.Pipelines.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.api.v1alpha1.common.ConditionType;
import dev.almanac.api.v1alpha1.common.Conditions;
import dev.almanac.api.v1alpha1.pipeline.ConcurrencyPolicy;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.PromotionMode;
import dev.almanac.api.v1alpha1.pipeline.RunDecision;
import dev.almanac.api.v1alpha1.pipeline.RunPhase;
import dev.almanac.api.v1alpha1.pipeline.RunRecord;
import dev.almanac.api.v1alpha1.pipeline.RunTrigger;
import dev.almanac.operator.Annotations;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reconciler logic on the fabric8 mock server (CRUD) with a fake registry and a clock the test
 * moves: scheduling, concurrency policies, deadlines, verbs, history, gates and promotion.
 */
@EnableKubernetesMockClient(crud = true)
class ForecastPipelineReconcilerTest {
  static KubernetesClient client; // static: one mock server for the class, a namespace per test
  private static final java.util.concurrent.atomic.AtomicInteger NAMESPACES =
      new java.util.concurrent.atomic.AtomicInteger();
  String NS;
  PipelineHarness h;
  Instant created;

  @BeforeEach
  void setUp() {
    NS = "ns" + NAMESPACES.incrementAndGet();
    h = new PipelineHarness(client, NS, Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }

  private ForecastPipeline scheduled(
      String name, Consumer<dev.almanac.api.v1alpha1.pipeline.ForecastPipelineSpec> edit) {
    var fp =
        h.create(
            pipeline(
                NS,
                name,
                "m",
                s -> {
                  s.setSchedule("0 * * * *");
                  edit.accept(s);
                }));
    created = Instant.parse(fp.getMetadata().getCreationTimestamp());
    h.clock.set(created);
    return fp;
  }

  private Instant nextHour(Instant t) {
    return t.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
  }

  private Condition condition(String name, String type) {
    return Conditions.find(h.get(name).getStatus().getConditions(), type).orElseThrow();
  }

  private RunRecord run(String name, String run) {
    return h.get(name).getStatus().getRuns().stream()
        .filter(r -> r.getName().equals(run))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void schedulesAtTheCronTimeAndRequeuesForExactlyThatTime() {
    scheduled("fp", s -> {});
    var first = h.reconcile("fp");
    var due = nextHour(created);
    assertThat(h.jobNames()).isEmpty();
    assertThat(h.get("fp").getStatus().getNextScheduleTime()).isEqualTo(due.toString());
    assertThat(first.requeue()).contains(Duration.between(created, due));
    assertThat(condition("fp", ConditionType.SCHEDULED).getStatus()).isEqualTo("True");

    h.clock.set(due.plusSeconds(5));
    h.reconcile("fp");
    var name = RunNames.scheduled(h.get("fp"), due);
    assertThat(h.jobNames()).containsExactly(name);
    assertThat(
            client
                .configMaps()
                .inNamespace(NS)
                .withName(name)
                .get()
                .getData()
                .get(RunObjects.SPEC_KEY))
        .contains("kind: \"ForecastPipeline\"")
        .contains("registeredModel: \"m\"");
    var status = h.get("fp").getStatus();
    assertThat(status.getLastScheduleTime()).isEqualTo(due.toString());
    assertThat(status.getActiveRuns()).containsExactly(name);
    assertThat(status.getNextScheduleTime()).isEqualTo(due.plus(Duration.ofHours(1)).toString());
    assertThat(condition("fp", ConditionType.TRAINING).getStatus()).isEqualTo("True");
    assertThat(h.events("RunStarted")).hasSize(1);

    h.reconcile("fp");
    assertThat(h.jobNames()).containsExactly(name);
  }

  @Test
  void forbidWaitsForTheActiveRunThenRunsInsideTheDeadline() {
    scheduled("fp", s -> s.setConcurrencyPolicy(ConcurrencyPolicy.Forbid));
    var t1 = nextHour(created);
    h.clock.set(t1);
    h.reconcile("fp");
    var t2 = t1.plus(Duration.ofHours(1));
    h.clock.set(t2.plusSeconds(1));
    h.reconcile("fp");
    assertThat(h.jobNames()).hasSize(1);
    assertThat(condition("fp", ConditionType.SCHEDULED).getMessage())
        .contains("waits for")
        .contains("Forbid");

    Kubelet.finish(
        client,
        NS,
        RunNames.scheduled(h.get("fp"), t1),
        true,
        result("1", 0.5, null, null),
        t1,
        t2);
    h.clock.set(t2.plus(Duration.ofMinutes(10)));
    h.reconcile("fp");
    assertThat(h.jobNames())
        .containsExactlyInAnyOrder(
            RunNames.scheduled(h.get("fp"), t1), RunNames.scheduled(h.get("fp"), t2));
  }

  @Test
  void replaceDeletesTheActiveRunAndAllowRunsBoth() {
    scheduled("replace", s -> s.setConcurrencyPolicy(ConcurrencyPolicy.Replace));
    var t1 = nextHour(created);
    h.clock.set(t1);
    h.reconcile("replace");
    h.clock.set(t1.plus(Duration.ofHours(1)));
    h.reconcile("replace");
    var old = RunNames.scheduled(h.get("replace"), t1);
    var now = RunNames.scheduled(h.get("replace"), t1.plus(Duration.ofHours(1)));
    assertThat(h.jobNames()).containsExactly(now);
    assertThat(run("replace", old).getPhase()).isEqualTo(RunPhase.Failed);
    assertThat(run("replace", old).getReason()).contains("replaced by run " + now);

    h.create(
        pipeline(
            NS,
            "allow",
            "m",
            s -> {
              s.setSchedule("0 * * * *");
              s.setConcurrencyPolicy(ConcurrencyPolicy.Allow);
            }));
    h.clock.set(t1);
    h.reconcile("allow");
    h.clock.set(t1.plus(Duration.ofHours(1)));
    h.reconcile("allow");
    assertThat(h.jobNames().stream().filter(n -> n.startsWith("allow-"))).hasSize(2);
  }

  @Test
  void suspendStartsNothing() {
    scheduled("fp", s -> s.setSuspend(true));
    h.clock.set(nextHour(created).plusSeconds(1));
    var r = h.reconcile("fp");
    assertThat(h.jobNames()).isEmpty();
    assertThat(r.requeue()).isEmpty();
    var c = condition("fp", ConditionType.SCHEDULED);
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getReason()).isEqualTo("Suspended");
    assertThat(h.get("fp").getStatus().getNextScheduleTime()).isNull();
  }

  @Test
  void missedRunsInsideTheDeadlineRunOnceAndOlderOnesAreReported() {
    scheduled("fp", s -> s.setStartingDeadlineSeconds(600L));
    var t3 = nextHour(created).plus(Duration.ofHours(2));
    h.clock.set(t3.plus(Duration.ofMinutes(5))); // operator was down for three run times
    h.reconcile("fp");
    assertThat(h.jobNames()).containsExactly(RunNames.scheduled(h.get("fp"), t3));
    assertThat(h.events("MissedSchedule"))
        .singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains("2 older scheduled run(s)"));
  }

  @Test
  void runsMissedBeyondTheDeadlineAreSkippedAndReported() {
    scheduled("fp", s -> s.setStartingDeadlineSeconds(600L));
    var t3 = nextHour(created).plus(Duration.ofHours(2));
    h.clock.set(t3.plus(Duration.ofMinutes(30)));
    h.reconcile("fp");
    assertThat(h.jobNames()).isEmpty();
    var skipped = h.get("fp").getStatus().getRuns();
    assertThat(skipped)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getPhase()).isEqualTo(RunPhase.Skipped);
              assertThat(r.getReason())
                  .contains("3 scheduled run(s) missed")
                  .contains("startingDeadlineSeconds");
            });
    assertThat(h.events("MissedSchedule")).hasSize(1);
    h.reconcile("fp");
    assertThat(h.get("fp").getStatus().getRuns()).hasSize(1);
  }

  @Test
  void skippedRunsNeverPushAFailedRunOutOfTheHistory() {
    scheduled(
        "fp",
        s -> {
          s.setFailedRunsHistoryLimit(1);
          s.setStartingDeadlineSeconds(600L);
        });
    var t = nextHour(created);
    h.clock.set(t);
    h.reconcile("fp");
    var failed = RunNames.scheduled(h.get("fp"), t);
    Kubelet.finish(client, NS, failed, false, "OOMKilled", t, t.plusSeconds(60));
    h.clock.set(t.plusSeconds(61));
    h.reconcile("fp");
    // the operator is down past the deadline twice: two Skipped records
    for (int gap = 1; gap <= 2; gap++) {
      h.clock.set(t.plus(Duration.ofHours(2L * gap)).plus(Duration.ofMinutes(30)));
      h.reconcile("fp");
    }
    assertThat(h.get("fp").getStatus().getRuns())
        .extracting(RunRecord::getPhase)
        .containsExactly(RunPhase.Skipped, RunPhase.Failed);
    assertThat(h.jobNames()).containsExactly(failed);
  }

  @Test
  void runNowStartsOneRunAndTheAnnotationIsConsumed() {
    scheduled("fp", s -> {});
    client
        .resources(ForecastPipeline.class)
        .inNamespace(NS)
        .withName("fp")
        .edit(
            fp -> {
              fp.getMetadata().setAnnotations(Map.of(Annotations.RUN_NOW, "2026-11-25T13:00"));
              return fp;
            });
    h.reconcile("fp");
    var name = RunNames.runNow(h.get("fp"), "2026-11-25T13:00");
    assertThat(h.jobNames()).containsExactly(name);
    assertThat(run("fp", name).getTrigger()).isEqualTo(RunTrigger.RunNow);
    assertThat(h.get("fp").getMetadata().getAnnotations().get(Annotations.RUN_NOW))
        .isNull(); // the mock keeps a null value
    h.reconcile("fp");
    assertThat(h.jobNames()).containsExactly(name);
  }

  @Test
  void unscheduledPipelineRunsOncePerSpecGeneration() {
    h.create(pipeline(NS, "fp", "m", s -> {}));
    h.reconcile("fp");
    h.reconcile("fp");
    var gen = h.get("fp").getMetadata().getGeneration();
    assertThat(h.jobNames()).containsExactly(RunNames.specChange(h.get("fp"), gen));
    assertThat(condition("fp", ConditionType.SCHEDULED).getMessage())
        .contains("one run per spec generation");
  }

  @Test
  void aShardedRunRegistersOneVersionThroughItsMergeJob() {
    h.create(
        pipeline(
            NS,
            "fp",
            "m",
            s -> {
              var trainer = new dev.almanac.api.v1alpha1.pipeline.TrainerSpec();
              trainer.setShards(3);
              s.setTrainer(trainer);
            }));
    h.reconcile("fp");
    var run = RunNames.specChange(h.get("fp"), h.get("fp").getMetadata().getGeneration());
    var t = h.clock.instant();
    // the Indexed Job: three shards, each left a partial bundle and registered nothing
    Kubelet.finish(
        client,
        NS,
        run,
        true,
        "{\"status\":\"partial\",\"reason\":\"shard 0 of 3 left its partial bundle at s3://b/shards/"
            + run
            + "/shard-0\"}",
        t,
        t.plusSeconds(60));
    h.clock.set(t.plusSeconds(61));
    h.reconcile("fp");
    var merge = RunObjects.mergeJobName(run);
    assertThat(h.jobNames()).containsExactlyInAnyOrder(run, merge);
    var record = run("fp", run);
    assertThat(record.getPhase()).isEqualTo(RunPhase.Running);
    assertThat(record.getJob()).isEqualTo(merge);
    assertThat(record.getModelVersion()).isNull();
    assertThat(h.get("fp").getStatus().getRuns())
        .as("the merge Job is no run of its own")
        .hasSize(1);
    var args =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(NS)
            .withName(merge)
            .get()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getArgs();
    assertThat(args).containsSequence("--merge-shards", "3").doesNotContain("--shard");

    Kubelet.finish(
        client,
        NS,
        merge,
        run,
        true,
        result("1", 0.5, null, null),
        t.plusSeconds(70),
        t.plusSeconds(90));
    h.clock.set(t.plusSeconds(91));
    h.reconcile("fp");
    record = run("fp", run);
    assertThat(record.getPhase()).isEqualTo(RunPhase.Succeeded);
    assertThat(record.getModelVersion()).isEqualTo("1");
    assertThat(h.get("fp").getStatus().getProductionVersion())
        .as("the merged version alone is gated and promoted")
        .isEqualTo("1");
    assertThat(h.jobNames()).containsExactlyInAnyOrder(run, merge);
  }

  @Test
  void onlyEditsOfTheTrainingSpecStartASpecChangeRun() {
    h.create(pipeline(NS, "fp", "m", s -> {}));
    h.reconcile("fp");
    var first = RunNames.specChange(h.get("fp"), h.get("fp").getMetadata().getGeneration());
    Kubelet.finish(
        client,
        NS,
        first,
        true,
        result("1", 0.5, null, null),
        h.clock.instant(),
        h.clock.instant().plusSeconds(60));
    h.clock.set(h.clock.instant().plusSeconds(61));
    h.reconcile("fp");
    assertThat(h.get("fp").getStatus().getTrainingSpecDigest()).isNotBlank();

    var before = h.get("fp").getMetadata().getGeneration();
    editSpec(
        "fp",
        s -> {
          s.setSuccessfulRunsHistoryLimit(5);
          s.setFailedRunsHistoryLimit(1);
          s.setConcurrencyPolicy(ConcurrencyPolicy.Replace);
          s.setStartingDeadlineSeconds(60L);
          s.getPromotion().setMode(PromotionMode.Manual);
        });
    assertThat(h.get("fp").getMetadata().getGeneration())
        .as("the spec edit is a new generation")
        .isGreaterThan(before);
    h.reconcile("fp");
    h.reconcile("fp");
    assertThat(h.jobNames()).containsExactly(first);
    assertThat(h.get("fp").getStatus().getObservedGeneration())
        .isEqualTo(h.get("fp").getMetadata().getGeneration());

    // suspend and resume, a schedule added (not due yet) and removed, batch prediction on/off
    editSpec("fp", s -> s.setSuspend(true));
    h.reconcile("fp");
    editSpec("fp", s -> s.setSuspend(false));
    h.reconcile("fp");
    var nextSchedule = h.clock.instant().plus(Duration.ofHours(2));
    editSpec(
        "fp",
        s ->
            s.setSchedule(
                nextSchedule.atZone(java.time.ZoneOffset.UTC).getMinute()
                    + " "
                    + nextSchedule.atZone(java.time.ZoneOffset.UTC).getHour()
                    + " * * *"));
    h.reconcile("fp");
    editSpec("fp", s -> s.setSchedule(null));
    h.reconcile("fp");
    editSpec(
        "fp",
        s -> {
          var batch = new dev.almanac.api.v1alpha1.pipeline.BatchPredictionSpec();
          batch.setEnabled(false);
          s.setBatchPrediction(batch);
        });
    h.reconcile("fp");
    h.reconcile("fp");
    assertThat(h.jobNames())
        .as("suspend, schedule and batch prediction edits train nothing")
        .containsExactly(first);

    editSpec("fp", s -> s.setHorizon(14));
    h.reconcile("fp");
    var second = RunNames.specChange(h.get("fp"), h.get("fp").getMetadata().getGeneration());
    assertThat(h.jobNames()).containsExactlyInAnyOrder(first, second);
    assertThat(run("fp", second).getTrigger()).isEqualTo(RunTrigger.SpecChange);
  }

  @Test
  void statusFromBeforeTheDigestTakesTheObservedGenerationAsTrained() {
    h.create(pipeline(NS, "fp", "m", s -> {}));
    h.reconcile("fp");
    var first = RunNames.specChange(h.get("fp"), h.get("fp").getMetadata().getGeneration());
    // an operator that did not record the digest wrote this status
    var old = h.get("fp");
    old.getStatus().setTrainingSpecDigest(null);
    client.resource(old).updateStatus();
    h.reconcile("fp");
    assertThat(h.jobNames()).containsExactly(first);
    assertThat(h.get("fp").getStatus().getTrainingSpecDigest()).isNotBlank();
  }

  @Test
  void aJobCreatedBeforeACrashIsAdoptedOn409() {
    var fp = h.create(pipeline(NS, "fp", "m", s -> {}));
    var name = RunNames.specChange(fp, fp.getMetadata().getGeneration());
    // the previous operator created the objects and died before writing status (and before its
    // cache saw them)
    client
        .resource(RunObjects.specConfigMap(fp, name, RunTrigger.SpecChange, h.clock.instant()))
        .create();
    client
        .resource(RunObjects.job(fp, name, RunTrigger.SpecChange, h.clock.instant(), "trainer:old"))
        .create();
    h.staleJobCache = true;
    var r = h.reconcile("fp");
    assertThat(r.error()).isNull();
    assertThat(h.jobNames()).containsExactly(name);
    assertThat(run("fp", name).getPhase()).isIn(RunPhase.Pending, RunPhase.Running);
  }

  @Test
  void historyLimitsPruneOldRunsAndTheirObjects() {
    scheduled(
        "fp",
        s -> {
          s.setSuccessfulRunsHistoryLimit(1);
          s.setFailedRunsHistoryLimit(1);
          s.getValidation().setMustBeatProduction(false);
        });
    h.registry.withVersion("1", "Staging").withVersion("2", "Staging").withVersion("3", "Staging");
    var t = nextHour(created);
    var names = new java.util.ArrayList<String>();
    for (int i = 1; i <= 3; i++) {
      h.clock.set(t);
      h.reconcile("fp");
      var name = RunNames.scheduled(h.get("fp"), t);
      names.add(name);
      boolean ok = i != 2;
      Kubelet.finish(
          client,
          NS,
          name,
          ok,
          ok ? result(Integer.toString(i), 0.5, null, null) : "OOMKilled",
          t,
          t.plusSeconds(60));
      h.clock.set(t.plusSeconds(61));
      h.reconcile("fp");
      t = t.plus(Duration.ofHours(1));
    }
    var runs = h.get("fp").getStatus().getRuns();
    assertThat(runs).extracting(RunRecord::getName).containsExactly(names.get(2), names.get(1));
    assertThat(h.jobNames()).containsExactlyInAnyOrder(names.get(2), names.get(1));
    assertThat(client.configMaps().inNamespace(NS).withName(names.get(0)).get()).isNull();
  }

  @Test
  void successPassesTheGatesAndPromotesAutomatically() {
    scheduled("fp", s -> {});
    h.registry.withVersion("6", "Production").withVersion("7", "Staging");
    h.registry.aliases.put("production", "6");
    var t = nextHour(created);
    h.clock.set(t);
    h.reconcile("fp");
    var name = RunNames.scheduled(h.get("fp"), t);
    Kubelet.finish(client, NS, name, true, result("7", 0.8, "6", 0.9), t, t.plusSeconds(120));
    h.clock.set(t.plusSeconds(130));
    h.reconcile("fp");

    assertThat(h.registry.stages).containsEntry("7", "Production").containsEntry("6", "Archived");
    assertThat(h.registry.aliases).containsEntry("production", "7");
    var status = h.get("fp").getStatus();
    assertThat(status.getProductionVersion()).isEqualTo("7");
    assertThat(status.getPromotions())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getFrom()).isEqualTo("6");
              assertThat(p.getTo()).isEqualTo("7");
              assertThat(p.getReason()).isEqualTo("Promoted");
            });
    var record = run("fp", name);
    assertThat(record.getPhase()).isEqualTo(RunPhase.Succeeded);
    assertThat(record.getDecision()).isEqualTo(RunDecision.Promoted);
    assertThat(record.getMetrics())
        .containsEntry("MASE", "0.8000")
        .containsEntry("champion.MASE", "0.9000");
    assertThat(condition("fp", ConditionType.PROMOTED).getReason()).isEqualTo("Promoted");
    assertThat(condition("fp", ConditionType.VALIDATED).getStatus()).isEqualTo("True");
    assertThat(condition("fp", ConditionType.READY).getStatus()).isEqualTo("True");
    assertThat(h.events("Promoted"))
        .singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains("version 7"));
    assertThat(h.meters.find("almanac.promotions").tag("kind", "automatic").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void gateFailuresPromoteNothing() {
    // a history of one succeeded run: the count of failures in a row must not be bounded by it
    scheduled("fp", s -> s.setSuccessfulRunsHistoryLimit(1));
    h.registry
        .withVersion("6", "Production")
        .withVersion("7", "Staging")
        .withVersion("8", "Staging");
    h.registry.aliases.put("production", "6");
    var t = nextHour(created);
    h.clock.set(t);
    h.reconcile("fp");
    Kubelet.finish(
        client,
        NS,
        RunNames.scheduled(h.get("fp"), t),
        true,
        result("7", 1.3, "6", 0.9),
        t,
        t.plusSeconds(60));
    h.clock.set(t.plusSeconds(61));
    h.reconcile("fp");
    assertThat(condition("fp", ConditionType.VALIDATED).getReason()).isEqualTo("GateFailed");
    assertThat(condition("fp", ConditionType.VALIDATED).getMessage())
        .contains("MASE 1.300 > threshold 1.0");

    var t2 = t.plus(Duration.ofHours(1));
    h.clock.set(t2);
    h.reconcile("fp");
    Kubelet.finish(
        client,
        NS,
        RunNames.scheduled(h.get("fp"), t2),
        true,
        result("8", 0.95, "6", 0.9),
        t2,
        t2.plusSeconds(60));
    h.clock.set(t2.plusSeconds(61));
    h.reconcile("fp");
    assertThat(condition("fp", ConditionType.VALIDATED).getMessage())
        .contains("does not beat production version 6");
    assertThat(h.registry.calls).isEmpty();
    assertThat(h.registry.aliases).containsEntry("production", "6");
    assertThat(h.get("fp").getStatus().getPromotions())
        .extracting(p -> p.getReason())
        .containsExactly("GateFailed", "GateFailed");
    assertThat(h.meters.find("almanac.consecutive.gate.failures").gauge().value()).isEqualTo(2.0);
    assertThat(h.get("fp").getStatus().getConsecutiveGateFailures()).isEqualTo(2);
    assertThat(h.get("fp").getStatus().getRuns()).hasSize(1);
    assertThat(h.meters.find("almanac.gate.failures").tag("gate", "champion").counter().count())
        .isEqualTo(1.0);

    // deleted: its series go too, or an alert on consecutive gate failures would fire forever
    h.deleted("fp");
    assertThat(h.meters.find("almanac.consecutive.gate.failures").gauges()).isEmpty();
    assertThat(h.meters.find("almanac.gate.failures").counters()).isEmpty();
    assertThat(h.meters.find("almanac.model.holdout.metric").gauges()).isEmpty();
  }

  @Test
  void manualModeWaitsForThePromoteAnnotationAndRollbackMovesBack() {
    scheduled("fp", s -> s.getPromotion().setMode(PromotionMode.Manual));
    h.registry.withVersion("6", "Production").withVersion("7", "Staging");
    h.registry.aliases.put("production", "6");
    var t = nextHour(created);
    h.clock.set(t);
    h.reconcile("fp");
    var name = RunNames.scheduled(h.get("fp"), t);
    Kubelet.finish(client, NS, name, true, result("7", 0.5, "6", 0.9), t, t.plusSeconds(60));
    h.clock.set(t.plusSeconds(61));
    h.reconcile("fp");
    assertThat(h.registry.aliases).containsEntry("production", "6");
    assertThat(condition("fp", ConditionType.PROMOTED).getReason()).isEqualTo("AwaitingApproval");
    assertThat(run("fp", name).getDecision()).isEqualTo(RunDecision.AwaitingApproval);

    annotate("fp", Annotations.PROMOTE, "7");
    h.reconcile("fp");
    assertThat(h.registry.aliases).containsEntry("production", "7");
    assertThat(h.registry.stages).containsEntry("7", "Production").containsEntry("6", "Archived");
    assertThat(run("fp", name).getDecision()).isEqualTo(RunDecision.Promoted);
    assertThat(h.get("fp").getStatus().getPromotions().get(0).getReason())
        .isEqualTo("ManualPromotion");
    assertThat(h.get("fp").getMetadata().getAnnotations().get(Annotations.PROMOTE)).isNull();

    annotate("fp", Annotations.ROLLBACK_TO, "6");
    h.reconcile("fp");
    assertThat(h.registry.aliases).containsEntry("production", "6");
    assertThat(h.registry.stages).containsEntry("6", "Production").containsEntry("7", "Archived");
    var status = h.get("fp").getStatus();
    assertThat(status.getProductionVersion()).isEqualTo("6");
    assertThat(status.getPromotions().get(0).getReason()).isEqualTo("RolledBack");
    assertThat(status.getPromotions().get(0).getFrom()).isEqualTo("7");
    assertThat(condition("fp", ConditionType.PROMOTED).getReason()).isEqualTo("RolledBack");
    assertThat(h.events("RolledBack")).hasSize(1);

    // a version that does not exist: the condition names the problem, and keeps naming it on later
    // passes
    annotate("fp", Annotations.ROLLBACK_TO, "42");
    h.reconcile("fp");
    assertThat(condition("fp", ConditionType.PROMOTED).getReason()).isEqualTo("PromotionFailed");
    assertThat(condition("fp", ConditionType.PROMOTED).getMessage()).contains("has no version 42");
    h.reconcile("fp");
    assertThat(condition("fp", ConditionType.PROMOTED).getMessage()).contains("has no version 42");
    assertThat(h.registry.aliases).containsEntry("production", "6");
  }

  @Test
  void mlflowDownDuringPromotionRetriesWithoutPartialState() {
    scheduled("fp", s -> {});
    h.registry.withVersion("6", "Production").withVersion("7", "Staging");
    h.registry.aliases.put("production", "6");
    var t = nextHour(created);
    h.clock.set(t);
    h.reconcile("fp");
    var name = RunNames.scheduled(h.get("fp"), t);
    Kubelet.finish(client, NS, name, true, result("7", 0.5, "6", 0.9), t, t.plusSeconds(60));
    h.clock.set(t.plusSeconds(61));
    h.registry.aliasDown.set(true); // stage moves, then MLflow goes away before the alias
    var failed = h.reconcile("fp");
    assertThat(failed.error()).isNotNull();
    assertThat(failed.requeue()).contains(h.settings.registryRetryDelay());
    var status = h.get("fp").getStatus();
    assertThat(status.getProductionVersion()).isNull();
    assertThat(status.getPromotions()).isNullOrEmpty();
    assertThat(run("fp", name).getPhase()).isEqualTo(RunPhase.Pending);
    assertThat(condition("fp", ConditionType.READY).getReason()).isEqualTo("MlflowUnreachable");
    assertThat(h.events("Promoted")).isEmpty();

    h.registry.aliasDown.set(false);
    h.reconcile("fp");
    assertThat(h.registry.aliases).containsEntry("production", "7");
    assertThat(h.get("fp").getStatus().getProductionVersion()).isEqualTo("7");
    assertThat(h.get("fp").getStatus().getPromotions())
        .singleElement()
        .satisfies(p -> assertThat(p.getFrom()).isEqualTo("6"));
    assertThat(condition("fp", ConditionType.READY).getStatus()).isEqualTo("True");
  }

  @Test
  void invalidCronOrTimeZoneIsReportedWithoutRetry() {
    h.create(pipeline(NS, "cron", "m", s -> s.setSchedule("61 * * * *")));
    var r = h.reconcile("cron");
    assertThat(r.noRetry()).isTrue();
    var c = condition("cron", ConditionType.READY);
    assertThat(c.getReason()).isEqualTo("InvalidSpec");
    assertThat(c.getMessage()).startsWith("spec.schedule:");
    assertThat(h.events("InvalidSpec")).hasSize(1);

    h.create(
        pipeline(
            NS,
            "tz",
            "m",
            s -> {
              s.setSchedule("0 3 * * *");
              s.setTimeZone("Mars/Olympus");
            }));
    var tz = h.reconcile("tz");
    assertThat(tz.noRetry()).isTrue();
    assertThat(condition("tz", ConditionType.SCHEDULED).getMessage())
        .startsWith("spec.timeZone:")
        .contains("Mars/Olympus");
    assertThat(h.jobNames()).isEmpty();
  }

  @Test
  void aJobDeletedBeforeItFinishedIsAFailedRunLikeAnyOther() {
    h.create(pipeline(NS, "fp", "m", s -> {}));
    h.reconcile("fp");
    var name = h.jobNames().get(0);
    client.batch().v1().jobs().inNamespace(NS).withName(name).delete();
    h.reconcile("fp");
    var record = run("fp", name);
    assertThat(record.getPhase()).isEqualTo(RunPhase.Failed);
    assertThat(record.getReason()).contains("was deleted before it finished");
    assertThat(record.getDecision()).isEqualTo(RunDecision.NotRun);
    assertThat(h.events("RunFailed")).hasSize(1);
    assertThat(h.meters.find("almanac.training.runs").tag("result", "failed").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void failedJobIsRecordedWithThePodReasonAndTrainerInvalidSpecNamesTheField() {
    h.create(pipeline(NS, "fp", "m", s -> {}));
    h.reconcile("fp");
    var name = h.jobNames().get(0);
    var now = h.clock.instant();
    Kubelet.finish(
        client,
        NS,
        name,
        false,
        "{\"status\":\"invalid-spec\",\"field\":\"validation.holdoutDays\",\"reason\":\"holdoutDays 400 exceeds the 365 days of series USA\"}",
        now,
        now.plusSeconds(30));
    h.reconcile("fp");
    var record = run("fp", name);
    assertThat(record.getPhase()).isEqualTo(RunPhase.Failed);
    assertThat(record.getReason()).contains("holdoutDays 400");
    var ready = condition("fp", ConditionType.READY);
    assertThat(ready.getReason()).isEqualTo("InvalidSpec");
    assertThat(ready.getMessage()).startsWith("spec.validation.holdoutDays:");
    assertThat(condition("fp", ConditionType.TRAINING).getReason()).isEqualTo("RunFailed");
    assertThat(h.events("RunFailed")).hasSize(1);
    assertThat(h.meters.find("almanac.training.runs").tag("result", "failed").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void conditionsKeepTheirTransitionTimeAndAnUnchangedStatusIsNotWritten() {
    scheduled("fp", s -> {});
    h.reconcile("fp");
    var before = condition("fp", ConditionType.READY).getLastTransitionTime();
    var rv = h.get("fp").getMetadata().getResourceVersion();
    // later, but before the next hourly run is due (a fixed 5 minutes failed when the test ran at
    // xx:55-xx:59)
    h.clock.advance(Duration.between(created, nextHour(created)).dividedBy(2));
    h.reconcile("fp");
    assertThat(condition("fp", ConditionType.READY).getLastTransitionTime()).isEqualTo(before);
    assertThat(h.get("fp").getMetadata().getResourceVersion()).isEqualTo(rv);
    assertThat(h.get("fp").getStatus().getConditions())
        .extracting(Condition::getType)
        .containsExactly("Promoted", "Ready", "Scheduled", "Training", "Validated");
  }

  private void editSpec(
      String name, Consumer<dev.almanac.api.v1alpha1.pipeline.ForecastPipelineSpec> edit) {
    client
        .resources(ForecastPipeline.class)
        .inNamespace(NS)
        .withName(name)
        .edit(
            fp -> {
              edit.accept(fp.getSpec());
              return fp;
            });
  }

  private void annotate(String name, String key, String value) {
    client
        .resources(ForecastPipeline.class)
        .inNamespace(NS)
        .withName(name)
        .edit(
            fp -> {
              var annotations =
                  new java.util.HashMap<String, String>(
                      fp.getMetadata().getAnnotations() == null
                          ? Map.of()
                          : fp.getMetadata().getAnnotations());
              annotations.put(key, value);
              fp.getMetadata().setAnnotations(annotations);
              return fp;
            });
  }
}
