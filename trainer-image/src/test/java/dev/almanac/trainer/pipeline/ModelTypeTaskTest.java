package dev.almanac.trainer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.almanac.api.v1alpha1.pipeline.ModelType;
import dev.almanac.api.v1alpha1.pipeline.Task;
import dev.almanac.trainer.models.ModelCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model type x task through the trainer, against {@link ModelType}'s table (the one the CRD's
 * rule is built from; crds' CrdSchemaTest walks the same pairs through a real apiserver): a
 * supported pair is taken by the settings and builds its trainer, any other pair is a bad spec
 * naming the task's types.
 */
class ModelTypeTaskTest {
  @TempDir Path tmp;

  static Stream<Arguments> typesByTask() {
    return Stream.of(Task.values())
        .flatMap(task -> Stream.of(ModelType.values()).map(type -> Arguments.of(task, type)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("typesByTask")
  void theTrainerTakesExactlyTheTypesOfTheTable(Task task, ModelType type) throws Exception {
    Path spec = tmp.resolve("p.yaml");
    Files.writeString(
        spec,
        """
        apiVersion: almanac.dev/v1alpha1
        kind: ForecastPipeline
        metadata: {name: p}
        spec:
          task: %s
          data: {source: {path: x.csv}, seriesColumn: id, target: y}
          models: [{type: %s}]
        """
            .formatted(task.wireName(), type.name()));
    if (type.supports(task)) {
      ForecastSettings s = ForecastSettings.from(SpecLoader.load(spec), tmp.resolve("x.csv"));
      assertThat(s.models()).extracting(ModelChoice::type).containsExactly(type);
      if (task == Task.CLASSIFICATION) {
        assertThat(ModelCatalog.classifier(type, Map.of()).type()).isEqualTo(type.name());
      } else if (!type.statistical()) {
        assertThat(ModelCatalog.regressor(type, Map.of()).type()).isEqualTo(type.name());
      }
    } else {
      assertThatThrownBy(() -> ForecastSettings.from(SpecLoader.load(spec), tmp.resolve("x.csv")))
          .isInstanceOf(RunFailure.class)
          .hasMessageContaining("model type " + type + " does not support task " + task.wireName())
          .hasMessageContaining(task.wireName() + " takes " + ModelType.forTask(task));
      assertThatThrownBy(
              () -> {
                if (task == Task.FORECAST) {
                  ModelCatalog.regressor(type, Map.of());
                } else {
                  ModelCatalog.classifier(type, Map.of());
                }
              })
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("does not support task " + task.wireName());
    }
  }

  @ParameterizedTest
  @MethodSource("statistical")
  void statisticalMembersAreNoFeatureRegressors(ModelType type) {
    assertThatThrownBy(() -> ModelCatalog.regressor(type, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("statistical member fitted per series");
  }

  static Stream<ModelType> statistical() {
    return Stream.of(ModelType.values()).filter(ModelType::statistical);
  }

  @org.junit.jupiter.api.Test
  void noSpecModelsMeansEveryTypeOfTheTask() throws Exception {
    for (Task task : Task.values()) {
      Path spec = tmp.resolve("d.yaml");
      Files.writeString(
          spec,
          """
          apiVersion: almanac.dev/v1alpha1
          kind: ForecastPipeline
          metadata: {name: p}
          spec:
            task: %s
            data: {source: {path: x.csv}, seriesColumn: id, target: y}
          """
              .formatted(task.wireName()));
      assertThat(ForecastSettings.from(SpecLoader.load(spec), tmp.resolve("x.csv")).models())
          .extracting(ModelChoice::type)
          .containsExactlyElementsOf(ModelType.defaultsFor(task));
    }
  }
}
