package dev.almanac.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.api.v1alpha1.pipeline.BatchPredictionSpec;
import dev.almanac.api.v1alpha1.pipeline.ConcurrencyPolicy;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipelineSpec;
import dev.almanac.api.v1alpha1.pipeline.PromotionMode;
import dev.almanac.api.v1alpha1.pipeline.TrainerSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** {@link TrainingSpec}: which spec edits count as a new training spec. */
class TrainingSpecTest {
  private static final String BASE = digest(s -> {});

  private static String digest(Consumer<ForecastPipelineSpec> edit) {
    return TrainingSpec.digest(Passes.pipeline(edit).getSpec());
  }

  @Test
  void operationalFieldsDoNotChangeIt() {
    assertThat(
            digest(
                s -> {
                  s.setSuccessfulRunsHistoryLimit(10);
                  s.setFailedRunsHistoryLimit(0);
                  s.setSuspend(true);
                  s.setSchedule("0 3 * * *");
                  s.setTimeZone("Europe/Berlin");
                  s.setConcurrencyPolicy(ConcurrencyPolicy.Allow);
                  s.setStartingDeadlineSeconds(5L);
                  s.getPromotion().setMode(PromotionMode.Manual);
                  var batch = new BatchPredictionSpec();
                  batch.setEnabled(true);
                  s.setBatchPrediction(batch);
                  var trainer = new TrainerSpec();
                  trainer.setBackoffLimit(4);
                  trainer.setActiveDeadlineSeconds(60L);
                  trainer.setServiceAccountName("other");
                  s.setTrainer(trainer);
                }))
        .isEqualTo(BASE)
        .hasSize(64);
  }

  @Test
  void trainingFieldsChangeIt() {
    assertThat(digest(s -> s.setHorizon(7))).isNotEqualTo(BASE);
    assertThat(digest(s -> s.getData().setTarget("deaths"))).isNotEqualTo(BASE);
    assertThat(digest(s -> s.getValidation().setThreshold("0.9"))).isNotEqualTo(BASE);
    assertThat(digest(s -> s.getMlflow().setRegisteredModel("other"))).isNotEqualTo(BASE);
    assertThat(digest(s -> s.setGlobal(true))).isNotEqualTo(BASE);
    assertThat(
            digest(
                s -> {
                  var trainer = new TrainerSpec();
                  trainer.setShards(4);
                  s.setTrainer(trainer);
                }))
        .isNotEqualTo(BASE);
    assertThat(
            digest(
                s -> {
                  var trainer = new TrainerSpec();
                  trainer.setImage("trainer:2");
                  trainer.setResources(
                      new ResourceRequirementsBuilder()
                          .addToLimits("memory", new Quantity("4Gi"))
                          .build());
                  s.setTrainer(trainer);
                }))
        .isNotEqualTo(BASE);
  }
}
