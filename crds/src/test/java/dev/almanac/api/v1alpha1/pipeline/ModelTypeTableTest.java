package dev.almanac.api.v1alpha1.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.generator.annotation.ValidationRule;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The CRD's model-type rules are the table in {@link ModelType}, not a copy of it. */
class ModelTypeTableTest {
  @Test
  void celListsAreTheTable() {
    assertThat(ModelType.FORECAST_CEL).isEqualTo(ModelType.celList(Task.FORECAST));
    assertThat(ModelType.CLASSIFICATION_CEL).isEqualTo(ModelType.celList(Task.CLASSIFICATION));
    assertThat(ModelType.forTask(Task.CLASSIFICATION))
        .doesNotContain(ModelType.LightGBM, ModelType.ETS);
  }

  @Test
  void specRulesUseTheTablesAndTheirMessagesNameEveryType() {
    var rules =
        Arrays.asList(ForecastPipelineSpec.class.getAnnotationsByType(ValidationRule.class));
    for (Task task : Task.values()) {
      String list = task == Task.FORECAST ? ModelType.FORECAST_CEL : ModelType.CLASSIFICATION_CEL;
      assertThat(rules)
          .filteredOn(r -> r.value().contains("m.type in " + list))
          .as("rule of %s", task)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.value()).contains("self.task != '" + task.wireName() + "'");
                assertThat(r.message()).startsWith(task.wireName() + " takes ");
                ModelType.forTask(task).forEach(t -> assertThat(r.message()).contains(t.name()));
              });
    }
    assertThat(rules)
        .noneMatch(
            r ->
                r.value().contains("m.type")
                    && !r.value().contains(ModelType.FORECAST_CEL)
                    && !r.value().contains(ModelType.CLASSIFICATION_CEL));
  }
}
