package dev.almanac.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.almanac.api.v1alpha1.pipeline.PromotionSpec;
import dev.almanac.api.v1alpha1.pipeline.StagesPolicy;
import dev.almanac.operator.events.EventRecorder;
import dev.almanac.operator.metrics.AlmanacMetrics;
import dev.almanac.operator.registry.StagesRefusedException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Promotion with and without stages: the alias is the promotion; stages follow promotion.stages.
 */
@EnableKubernetesMockClient(crud = true)
class PromoterTest {
  KubernetesClient client;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  private Promoter promoter() {
    return new Promoter(
        new EventRecorder(client, clock),
        AlmanacMetrics.discarding(),
        new PromotionNotifier(),
        clock);
  }

  private static dev.almanac.api.v1alpha1.pipeline.ForecastPipeline pipeline(StagesPolicy stages) {
    return Pipelines.pipeline(
        "ml",
        "p",
        "m",
        spec -> {
          var promotion = new PromotionSpec();
          promotion.setStages(stages);
          spec.setPromotion(promotion);
        });
  }

  @Test
  void autoMovesStagesWhereTheRegistryHasThem() {
    var registry = new FakeRegistry().withVersion("1", "Production").withVersion("2", "Staging");
    var record =
        promoter()
            .move(
                pipeline(StagesPolicy.Auto),
                registry,
                "2",
                "1",
                dev.almanac.api.v1alpha1.pipeline.PromotionKind.AUTOMATIC);
    assertThat(registry.calls).containsExactly("stage 2 Production", "alias production 2");
    assertThat(registry.stages).containsEntry("1", "Archived").containsEntry("2", "Production");
    assertThat(registry.tags)
        .containsEntry("2 almanac.role", "production")
        .containsEntry("1 almanac.role", "archived");
    assertThat(record.getVersion()).isEqualTo("2");
  }

  @Test
  void autoPromotesByAliasWhenTheRegistryRefusesStages() {
    var registry = new FakeRegistry().withVersion("1", "None").withVersion("2", "None");
    registry.noStages.set(true);
    promoter()
        .move(
            pipeline(StagesPolicy.Auto),
            registry,
            "2",
            "1",
            dev.almanac.api.v1alpha1.pipeline.PromotionKind.AUTOMATIC);
    assertThat(registry.calls).containsExactly("stage refused", "alias production 2");
    assertThat(registry.tags).containsEntry("2 almanac.role", "production");
  }

  @Test
  void alwaysFailsWhenStagesAreRefusedAndMovesNothing() {
    var registry = new FakeRegistry().withVersion("1", "None").withVersion("2", "None");
    registry.noStages.set(true);
    assertThatThrownBy(
            () ->
                promoter()
                    .move(
                        pipeline(StagesPolicy.Always),
                        registry,
                        "2",
                        "1",
                        dev.almanac.api.v1alpha1.pipeline.PromotionKind.AUTOMATIC))
        .isInstanceOf(StagesRefusedException.class)
        .hasMessageContaining("promotion.stages is Always")
        .hasMessageContaining("set promotion.stages to Auto or Never");
    assertThat(registry.aliases).isEmpty();
  }

  @Test
  void neverLeavesStagesAlone() {
    var registry = new FakeRegistry().withVersion("1", "Production").withVersion("2", "None");
    promoter()
        .move(
            pipeline(StagesPolicy.Never),
            registry,
            "2",
            "1",
            dev.almanac.api.v1alpha1.pipeline.PromotionKind.AUTOMATIC);
    assertThat(registry.calls).containsExactly("alias production 2");
    assertThat(registry.stages).containsEntry("1", "Production").containsEntry("2", "None");
  }
}
