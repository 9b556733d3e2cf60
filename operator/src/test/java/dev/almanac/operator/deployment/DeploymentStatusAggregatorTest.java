package dev.almanac.operator.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.api.v1alpha1.common.ConditionType;
import dev.almanac.api.v1alpha1.common.Conditions;
import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.api.v1alpha1.deployment.ModelDeploymentStatus;
import dev.almanac.api.v1alpha1.deployment.ModelRef;
import dev.almanac.api.v1alpha1.deployment.ServedVersion;
import dev.almanac.operator.deployment.ModelVersionResolver.Resolution;
import dev.almanac.registry.RegistryUnavailableException;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeploymentStatusAggregatorTest {
  private final DeploymentStatusAggregator aggregator =
      new DeploymentStatusAggregator(
          Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC));

  private static RolloutObservation done(String version, int replicas) {
    return new RolloutObservation(
        version, replicas, replicas, replicas, replicas, replicas, true, false, null);
  }

  private static String reason(ModelDeploymentStatus s, String type) {
    return Conditions.find(s.getConditions(), type).map(Condition::getReason).orElseThrow();
  }

  private static ModelDeployment md(ModelDeploymentStatus status) {
    var md = ModelDeployments.followingAlias("ml", "covid", "covid-cases", "production");
    md.setStatus(status);
    return md;
  }

  @Test
  void completeRolloutOfTheResolvedVersionIsReady() {
    var s =
        aggregator.next(
            md(null),
            new Resolution.Resolved("7", "alias production"),
            Optional.of(done("7", 2)),
            Optional.empty());
    assertThat(s.getResolvedVersion()).isEqualTo("7");
    assertThat(s.getServingVersion()).isEqualTo("7");
    assertThat(s.getReadyReplicas()).isEqualTo(2);
    assertThat(s.getReplicas()).isEqualTo(2);
    assertThat(s.getUrl()).isEqualTo("http://covid.ml.svc:8080");
    assertThat(s.getSelector()).contains("app.kubernetes.io/instance=covid");
    assertThat(s.getObservedGeneration()).isEqualTo(1L);
    assertThat(Conditions.isTrue(s.getConditions(), ConditionType.READY)).isTrue();
    assertThat(Conditions.isTrue(s.getConditions(), ConditionType.MODEL_RESOLVED)).isTrue();
    assertThat(Conditions.isTrue(s.getConditions(), ConditionType.AVAILABLE)).isTrue();
    assertThat(Conditions.isTrue(s.getConditions(), ConditionType.PROGRESSING)).isFalse();
    assertThat(reason(s, ConditionType.PROGRESSING)).isEqualTo("RolloutComplete");
    assertThat(s.getHistory())
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.getVersion()).isEqualTo("7");
              assertThat(h.getReason()).isEqualTo("Initial");
              assertThat(h.getTime()).isEqualTo("2026-11-25T10:00:00Z");
            });
  }

  @Test
  void duringARolloutTheOldVersionKeepsServing() {
    var before =
        aggregator.next(
            md(null),
            new Resolution.Resolved("7", "alias production"),
            Optional.of(done("7", 2)),
            Optional.empty());
    var rolling = new RolloutObservation("8", 2, 3, 1, 2, 2, true, false, null);
    var s =
        aggregator.next(
            md(before),
            new Resolution.Resolved("8", "alias production"),
            Optional.of(rolling),
            Optional.empty());
    assertThat(s.getResolvedVersion()).isEqualTo("8");
    assertThat(s.getServingVersion()).isEqualTo("7");
    assertThat(Conditions.isTrue(s.getConditions(), ConditionType.PROGRESSING)).isTrue();
    assertThat(Conditions.isTrue(s.getConditions(), ConditionType.READY)).isFalse();
    assertThat(Conditions.isTrue(s.getConditions(), ConditionType.AVAILABLE)).isTrue();
    assertThat(s.getHistory()).hasSize(1);

    var after =
        aggregator.next(
            md(s),
            new Resolution.Resolved("8", "alias production"),
            Optional.of(done("8", 2)),
            Optional.empty());
    assertThat(after.getServingVersion()).isEqualTo("8");
    assertThat(after.getHistory())
        .extracting(ServedVersion::getVersion, ServedVersion::getReason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("8", "Promoted"),
            org.assertj.core.groups.Tuple.tuple("7", "Initial"));
    var back =
        aggregator.next(
            md(after),
            new Resolution.Resolved("7", "alias production"),
            Optional.of(done("7", 2)),
            Optional.empty());
    assertThat(back.getHistory().get(0).getReason()).isEqualTo("RolledBack");
  }

  @Test
  void aStalledRolloutIsReported() {
    var stalled = new RolloutObservation("8", 2, 3, 1, 2, 2, true, true, null);
    var s =
        aggregator.next(
            md(null),
            new Resolution.Resolved("8", "alias production"),
            Optional.of(stalled),
            Optional.empty());
    assertThat(reason(s, ConditionType.PROGRESSING)).isEqualTo("RolloutStalled");
    assertThat(reason(s, ConditionType.READY)).isEqualTo("RolloutStalled");
    assertThat(s.getServingVersion()).isNull();
  }

  @Test
  void missingModelKeepsTheLastResolvedVersion() {
    var before =
        aggregator.next(
            md(null),
            new Resolution.Resolved("7", "alias production"),
            Optional.of(done("7", 2)),
            Optional.empty());
    var s =
        aggregator.next(
            md(before),
            new Resolution.NotFound("registered model covid-cases has no alias production"),
            Optional.of(done("7", 2)),
            Optional.empty());
    assertThat(s.getResolvedVersion()).isEqualTo("7");
    assertThat(s.getServingVersion()).isEqualTo("7");
    assertThat(reason(s, ConditionType.MODEL_RESOLVED)).isEqualTo("ModelNotFound");
    assertThat(reason(s, ConditionType.READY)).isEqualTo("ModelNotFound");
    assertThat(
            Conditions.find(s.getConditions(), ConditionType.MODEL_RESOLVED)
                .orElseThrow()
                .getMessage())
        .contains("no alias production")
        .contains("keeping version 7");
    // the Available condition did not flip, so its transition time is carried over
    assertThat(
            Conditions.find(s.getConditions(), ConditionType.AVAILABLE)
                .orElseThrow()
                .getLastTransitionTime())
        .isEqualTo(
            Conditions.find(before.getConditions(), ConditionType.AVAILABLE)
                .orElseThrow()
                .getLastTransitionTime());
  }

  @Test
  void nothingResolvedYetMeansNoServer() {
    var s =
        aggregator.next(
            md(null),
            new Resolution.NotFound("registered model x has no alias production"),
            Optional.empty(),
            Optional.empty());
    assertThat(s.getResolvedVersion()).isNull();
    assertThat(s.getHistory()).isNull();
    assertThat(Conditions.isTrue(s.getConditions(), ConditionType.AVAILABLE)).isFalse();
    assertThat(reason(s, ConditionType.READY)).isEqualTo("ModelNotFound");
  }

  @Test
  void historyIsBoundedNewestFirstAndPinnedChangesAreSpecChanges() {
    var md = md(null);
    ModelDeploymentStatus status = null;
    for (int v = 1; v <= 12; v++) {
      status =
          aggregator.next(
              md(status),
              new Resolution.Resolved("" + v, "alias production"),
              Optional.of(done("" + v, 1)),
              Optional.empty());
    }
    assertThat(status.getHistory()).hasSize(DeploymentStatusAggregator.HISTORY_LIMIT);
    assertThat(status.getHistory().get(0).getVersion()).isEqualTo("12");
    var ref = new ModelRef();
    ref.setRegisteredModel("covid-cases");
    ref.setVersion("3");
    assertThat(
            DeploymentStatusAggregator.reasonOfChange(
                ModelDeployments.of("ml", "p", ref), "12", "3"))
        .isEqualTo("SpecChanged");
    assertThat(md.getStatus()).isNull();
  }

  @Test
  void monitoringProblemsShowInReady() {
    var s =
        aggregator.next(
            md(null),
            new Resolution.Resolved("7", "alias production"),
            Optional.of(done("7", 1)),
            Optional.of(
                "ServiceMonitor requested but the monitoring.coreos.com CRDs are not installed"));
    var ready = Conditions.find(s.getConditions(), ConditionType.READY).orElseThrow();
    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getMessage()).contains("ServiceMonitor requested");
  }

  @Test
  void failuresAreClassified() {
    var before =
        aggregator.next(
            md(null),
            new Resolution.Resolved("7", "alias production"),
            Optional.of(done("7", 2)),
            Optional.empty());
    var copy = ModelDeployments.followingAlias("ml", "covid", "covid-cases", "production");
    var unreachable =
        aggregator.failed(
            md(before), before, new RegistryUnavailableException("connect timed out", 0, null));
    assertThat(unreachable.reason().name()).isEqualTo("MlflowUnreachable");
    assertThat(
            Conditions.find(unreachable.status().getConditions(), ConditionType.MODEL_RESOLVED)
                .orElseThrow()
                .getStatus())
        .isEqualTo("Unknown");
    assertThat(Conditions.isTrue(unreachable.status().getConditions(), ConditionType.READY))
        .as("still serving")
        .isTrue();
    assertThat(unreachable.message()).contains("version 7 keeps serving");
    // JOSDK hands the exception over wrapped; the reason and message come from the cause, no class
    // names
    var wrapped =
        aggregator.failed(
            md(before),
            before,
            new io.javaoperatorsdk.operator.OperatorException(
                new RegistryUnavailableException(
                    "MLflow at http://mlflow:5000 timed out on GET registered-models/alias after PT30S",
                    0,
                    null)));
    assertThat(wrapped.reason().name()).isEqualTo("MlflowUnreachable");
    assertThat(wrapped.message())
        .startsWith("cannot reach the model registry (MLflow at http://mlflow:5000 timed out")
        .contains("version 7 keeps serving")
        .doesNotContain("Exception")
        .doesNotContain("dev.almanac");
    assertThat(Conditions.isTrue(wrapped.status().getConditions(), ConditionType.READY))
        .as("still serving")
        .isTrue();
    assertThat(reason(wrapped.status(), ConditionType.READY)).isNotEqualTo("RolloutStalled");
    var refused =
        aggregator.failed(
            copy,
            new ModelDeploymentStatus(),
            new RuntimeException(new IllegalStateException("admission webhook denied")));
    assertThat(refused.reason().name()).isEqualTo("RolloutStalled");
    assertThat(refused.message())
        .isEqualTo("could not apply the model server objects: admission webhook denied");
    assertThat(reason(refused.status(), ConditionType.READY)).isEqualTo("RolloutStalled");
  }

  @Test
  void rolloutIsCompleteOnlyWhenEveryPodRunsTheCurrentTemplate() {
    var d =
        new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
            .withNewMetadata()
            .withName("covid")
            .withGeneration(3L)
            .endMetadata()
            .withNewSpec()
            .withReplicas(2)
            .withNewTemplate()
            .withNewMetadata()
            .addToAnnotations(dev.almanac.operator.Annotations.MODEL_VERSION, "8")
            .endMetadata()
            .endTemplate()
            .endSpec()
            .withNewStatus()
            .withObservedGeneration(3L)
            .withReplicas(2)
            .withUpdatedReplicas(2)
            .withReadyReplicas(2)
            .endStatus()
            .build();
    assertThat(RolloutObservation.of(d).complete()).isTrue();
    assertThat(RolloutObservation.of(d).templateVersion()).isEqualTo("8");
    d.getStatus().setObservedGeneration(2L);
    assertThat(RolloutObservation.of(d).complete())
        .as("controller has not seen the new template")
        .isFalse();
    d.getStatus().setObservedGeneration(3L);
    d.getStatus().setReplicas(3);
    assertThat(RolloutObservation.of(d).complete()).as("an old pod is still there").isFalse();
    d.getStatus().setReplicas(2);
    d.getStatus().setReadyReplicas(1);
    assertThat(RolloutObservation.of(d).complete()).as("a new pod is not ready").isFalse();
    d.getStatus()
        .setConditions(
            java.util.List.of(
                new io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder()
                    .withType("Progressing")
                    .withStatus("False")
                    .withReason("ProgressDeadlineExceeded")
                    .build()));
    assertThat(RolloutObservation.of(d).stalled()).isTrue();
  }

  @Test
  void promotionsConcernOnlyDeploymentsThatFollowTheModel() {
    var pinned = new ModelRef();
    pinned.setRegisteredModel("covid-cases");
    pinned.setVersion("3");
    assertThat(PromotionTrigger.follows(md(null), "covid-cases")).isTrue();
    assertThat(PromotionTrigger.follows(md(null), "other")).isFalse();
    assertThat(PromotionTrigger.follows(ModelDeployments.of("ml", "pinned", pinned), "covid-cases"))
        .isFalse();
  }

  @Test
  void newPodsWhoseImageCannotBePulledSayWhyWhileTheOldVersionServes() {
    var serving =
        aggregator.next(
            md(null),
            new Resolution.Resolved("7", "alias production"),
            Optional.of(done("7", 2)),
            Optional.empty());
    var broken =
        new RolloutObservation("8", 2, 3, 1, 2, 2, true, false, null)
            .withPodProblem(
                "image registry.example/server:bad of pod covid-x cannot be used (ImagePullBackOff)");
    var s =
        aggregator.next(
            md(serving),
            new Resolution.Resolved("8", "alias production"),
            Optional.of(broken),
            Optional.empty());
    assertThat(reason(s, ConditionType.PROGRESSING)).isEqualTo("ImageUnavailable");
    assertThat(
            Conditions.find(s.getConditions(), ConditionType.PROGRESSING)
                .orElseThrow()
                .getMessage())
        .isEqualTo(
            "pods of version 8 cannot start: image registry.example/server:bad of pod covid-x cannot be used"
                + " (ImagePullBackOff); version 7 keeps serving");
    assertThat(s.getServingVersion()).isEqualTo("7");
    assertThat(Conditions.isTrue(s.getConditions(), ConditionType.AVAILABLE)).isTrue();
  }
}
