package dev.almanac.trainer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.almanac.ml.bundle.DiseasePrediction;
import dev.almanac.ml.bundle.InputProfile;
import dev.almanac.ml.bundle.ModelBundle;
import dev.almanac.trainer.TrainerCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassificationRunTest {
  @TempDir Path tmp;

  static final String SPEC =
      """
      apiVersion: almanac.dev/v1alpha1
      kind: ForecastPipeline
      metadata: {name: disease}
      spec:
        task: classification
        data:
          source: {path: disease-symptoms/Training.csv}
          testPath: disease-symptoms/Testing.csv
          target: prognosis
        models: [{type: RandomForest, params: {n_estimators: "30"}}]
        ensemble: {method: None}
        validation: {metric: Accuracy, threshold: "0.97", cvFolds: 3}
      """;

  @Test
  void trainsScoresTheShippedTestSplitAndServesTopK() throws Exception {
    Path spec = tmp.resolve("p.yaml");
    Files.writeString(spec, SPEC);
    Path out = tmp.resolve("bundle");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    int code =
        TrainerCli.run(
            new String[] {
              "--spec",
              spec.toString(),
              "--output",
              out.toString(),
              "--data",
              Paths.data().resolve("disease-symptoms/Training.csv").toString()
            },
            new PrintStream(log, true, StandardCharsets.UTF_8),
            null);
    assertThat(code).as(log.toString(StandardCharsets.UTF_8)).isZero();
    JsonNode result = new ObjectMapper().readTree(out.resolve("result.json").toFile());
    assertThat(result.path("value").asDouble()).isGreaterThanOrEqualTo(0.97);
    assertThat(result.path("gatePassed").asBoolean()).isTrue();
    assertThat(result.path("parityMaxRelDiff").asDouble()).isLessThan(1e-4);
    JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertThat(metrics.path("dedupedTrainingRows").asInt()).isEqualTo(304);
    assertThat(metrics.path("crossValidation").path("RandomForest").path("accuracy").asDouble())
        .isBetween(0.5, 1.0);
    assertThat(Files.readAllLines(out.resolve("test_predictions.csv"))).hasSize(43);
    // the input drift baseline: symptom frequencies of the 4920 training rows
    InputProfile profile = InputProfile.read(out).orElseThrow();
    assertThat(profile.rows()).isEqualTo(4920);
    assertThat(profile.symptomFrequencies()).hasSize(131); // 132 columns, fluid_overload twice
    assertThat(profile.symptomFrequencies().get("itching")).isCloseTo(0.138, within(0.001));
    assertThat(profile.symptomFrequencies().get("fluid_overload")).isCloseTo(0.023, within(0.001));

    try (ModelBundle b = ModelBundle.load(out)) {
      assertThat(b.task()).isEqualTo("classification");
      assertThat(b.classifier().labels()).hasSize(41);
      List<DiseasePrediction> top =
          b.predict(
              List.of("itching", "skin_rash", "nodal_skin_eruptions", "dischromic _patches"), 3);
      assertThat(top).hasSize(3);
      assertThat(top.get(0).disease()).isEqualTo("Fungal infection");
      assertThat(top.get(0).description()).isNotBlank();
      assertThat(top.get(0).precautions()).isNotEmpty();
      assertThat(top.get(0).probability()).isGreaterThan(top.get(1).probability());
    }
  }
}
