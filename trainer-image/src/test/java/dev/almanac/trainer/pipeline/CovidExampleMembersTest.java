package dev.almanac.trainer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.almanac.trainer.TrainerCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example's members on its 10 countries against the holdout MASE recorded with the hand-written
 * Nelder–Mead and the recursive CART grower (commit 12b5cdf): the global RandomForest is the same
 * forest (MASE equal to the last bit), additive ETS lands on the same optimum (1e-3 relative), and
 * the multiplicative ETS, whose SSE surface is flat enough that the path decides the optimum, stays
 * within 5 % per country and 1 % on the mean.
 */
class CovidExampleMembersTest {
  @TempDir Path tmp;

  record Recorded(double ets, double etsMultiplicative, double randomForest) {}

  static final Map<String, Recorded> RECORDED =
      Map.of(
          "USA", new Recorded(1.612504809391057, 0.8890004021834474, 0.7202796302993018),
          "GBR", new Recorded(1.6069528131182123, 1.6874059779831991, 2.035276279628003),
          "DEU", new Recorded(3.404196921327185, 3.4660852515144875, 3.5886550112222504),
          "FRA", new Recorded(3.5912293899017333, 3.7069373721263394, 3.557796768601214),
          "ITA", new Recorded(2.4378506699594515, 2.255328049903358, 3.070340650839455),
          "IND", new Recorded(21.199999283697338, 21.494055418707852, 21.632560548683593),
          "BRA", new Recorded(2.8327299683245815, 2.512047490119276, 3.4771938759861754),
          "ZAF", new Recorded(0.15956294179135577, 0.3449352929065194, 0.24312171696842758),
          "JPN", new Recorded(4.3640805133619995, 4.2667553880026965, 4.834206371496773),
          "CAN", new Recorded(4.379201935091294, 4.520297426535017, 4.403120322392041));

  static final String SPEC =
      """
      apiVersion: almanac.dev/v1alpha1
      kind: ForecastPipeline
      metadata: {name: covid-members}
      spec:
        task: forecast
        data:
          source: {path: owid-covid/owid-covid-slim.csv.gz}
          seriesColumn: iso_code
          series: [USA, GBR, DEU, FRA, ITA, IND, BRA, ZAF, JPN, CAN]
          target: new_cases
        models: [{type: RandomForest}, {type: ETS}, {type: ETS, params: {seasonal: multiplicative}}]
        global: true
        ensemble: {method: InverseError}
        horizon: 28
        validation: {holdoutDays: 60, metric: MASE, threshold: "20"}
      """;

  @Test
  void membersScoreWhatTheHandWrittenNumericsScored() throws Exception {
    Path spec = tmp.resolve("pipeline.yaml");
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
              "--no-mlflow",
              "--data",
              Paths.owidSlim().toString(),
              "--seed",
              "42",
              "--run-id",
              "m-1"
            },
            new PrintStream(log, true, StandardCharsets.UTF_8),
            null);
    assertThat(code).as(log.toString(StandardCharsets.UTF_8)).isZero();
    JsonNode perSeries =
        new ObjectMapper().readTree(out.resolve("metrics.json").toFile()).path("perSeries");
    double meanBefore = 0;
    double meanAfter = 0;
    for (var e : RECORDED.entrySet()) {
      JsonNode ours = perSeries.path(e.getKey());
      Recorded r = e.getValue();
      assertThat(ours.path("RandomForest").path("mase").asDouble())
          .as(e.getKey() + " RandomForest")
          .isEqualTo(r.randomForest());
      assertThat(ours.path("ETS").path("mase").asDouble())
          .as(e.getKey() + " ETS")
          .isCloseTo(r.ets(), within(1e-3 * r.ets()));
      double mul = ours.path("ETSMultiplicative").path("mase").asDouble();
      assertThat(mul)
          .as(e.getKey() + " ETSMultiplicative")
          .isCloseTo(r.etsMultiplicative(), within(0.05 * r.etsMultiplicative()));
      meanBefore += r.etsMultiplicative() / RECORDED.size();
      meanAfter += mul / RECORDED.size();
    }
    assertThat(meanAfter)
        .as("mean ETSMultiplicative MASE")
        .isCloseTo(meanBefore, within(0.01 * meanBefore));
  }
}
