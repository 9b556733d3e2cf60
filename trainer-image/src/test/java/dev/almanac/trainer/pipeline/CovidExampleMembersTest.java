package dev.almanac.trainer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.almanac.trainer.TrainerCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CovidExampleMembersTest {
  @TempDir Path tmp;

  static final String[] COUNTRIES = {"USA", "GBR", "DEU", "FRA", "ITA", "IND", "BRA", "ZAF", "JPN", "CAN"};

  static final String SPEC = """
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
        models: [{type: RandomForest}, {type: SeasonalNaive}, {type: ETS}, {type: ETS, params: {seasonal: multiplicative}}]
        global: true
        ensemble: {method: InverseError}
        horizon: 28
        validation: {holdoutDays: 60, metric: MASE, threshold: "20"}
      """;

  @Test
  void measure() throws Exception {
    Path spec = tmp.resolve("pipeline.yaml");
    Files.writeString(spec, SPEC);
    Path out = tmp.resolve("bundle");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    long t0 = System.nanoTime();
    int code = TrainerCli.run(new String[] {"--spec", spec.toString(), "--output", out.toString(), "--no-mlflow", "--data",
        Paths.owidSlim().toString(), "--seed", "42", "--run-id", "m-1"}, new PrintStream(log, true, StandardCharsets.UTF_8), null);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(code).as(log.toString(StandardCharsets.UTF_8)).isZero();
    JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    StringBuilder sb = new StringBuilder("TOTAL_MS " + ms + "\n" + log.toString(StandardCharsets.UTF_8) + "\n");
    for (String c : COUNTRIES) {
      JsonNode ours = metrics.path("perSeries").path(c);
      sb.append(c);
      for (String m : new String[] {"ETS", "ETSMultiplicative", "RandomForest"}) {
        sb.append(' ').append(m).append('=').append(ours.path(m).path("mase").asDouble());
      }
      sb.append('\n');
    }
    Files.writeString(Path.of("/tmp/num/members-" + System.getenv().getOrDefault("TAG", "x") + ".txt"), sb.toString());
    Files.copy(out.resolve("holdout_predictions.csv"), Path.of("/tmp/num/holdout-" + System.getenv().getOrDefault("TAG", "x") + ".csv"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
