package dev.almanac.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.almanac.trainer.pipeline.Paths;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerCliTest {
  @TempDir Path tmp;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  static final String SPEC =
      """
      apiVersion: almanac.dev/v1alpha1
      kind: ForecastPipeline
      metadata: {name: tiny}
      spec:
        task: forecast
        data:
          source: {path: owid-covid/owid-covid-slim.csv.gz}
          seriesColumn: iso_code
          series: [AAA]
          target: new_cases
        models: [{type: Linear}, {type: SeasonalNaive}]
        validation: {holdoutDays: 10}
      """;

  private int run(String... args) {
    return TrainerCli.run(
        args, new PrintStream(log, true, StandardCharsets.UTF_8), tmp.resolve("termination-log"));
  }

  private JsonNode result(Path out) throws Exception {
    return new ObjectMapper().readTree(out.resolve("result.json").toFile());
  }

  @Test
  void usageErrorsExitWith2() {
    assertThat(run("--output", tmp.toString())).isEqualTo(2);
    assertThat(run("--spec", "x.yaml", "--output", tmp.toString(), "--shard", "3", "--shards", "2"))
        .isEqualTo(2);
  }

  @Test
  void unknownFieldOrWrongKindIsABadSpec() throws Exception {
    Path spec = tmp.resolve("p.yaml");
    Files.writeString(spec, SPEC.replace("holdoutDays: 10", "holdoutDays: 10, holdoutDayz: 3"));
    Path out = tmp.resolve("out");
    assertThat(run("--spec", spec.toString(), "--output", out.toString())).isEqualTo(2);
    assertThat(result(out).path("message").asText()).contains("holdoutDayz");
    assertThat(result(out).path("status").asText()).isEqualTo("Failed");

    Files.writeString(spec, SPEC.replace("kind: ForecastPipeline", "kind: ModelDeployment"));
    assertThat(run("--spec", spec.toString(), "--output", out.toString())).isEqualTo(2);
    assertThat(result(out).path("message").asText()).contains("kind must be ForecastPipeline");
  }

  @Test
  void badCsvExitsWith3AndNamesFileLineAndColumn() throws Exception {
    Path spec = tmp.resolve("p.yaml");
    Files.writeString(spec, SPEC);
    Path csv = tmp.resolve("bad.csv");
    StringBuilder sb = new StringBuilder("iso_code,continent,date,new_cases\n");
    for (int i = 0; i < 5; i++) {
      sb.append("AAA,Europe,2021-01-0")
          .append(i + 1)
          .append(",")
          .append(i == 3 ? "n/a" : "1.0")
          .append('\n');
    }
    Files.writeString(csv, sb.toString());
    Files.writeString(tmp.resolve("termination-log"), "");
    Path out = tmp.resolve("out");
    assertThat(run("--spec", spec.toString(), "--output", out.toString(), "--data", csv.toString()))
        .isEqualTo(3);
    String msg = result(out).path("message").asText();
    assertThat(msg)
        .contains("bad.csv")
        .contains("line 5")
        .contains("'new_cases'")
        .contains("not a number: 'n/a'");
    assertThat(Files.readString(tmp.resolve("termination-log")))
        .contains("\"exitCode\":3")
        .contains("line 5");
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("[error]");
  }

  @Test
  void aShardTrainsEveryNthSeriesAndWritesTheTerminationLog() throws Exception {
    Path spec = tmp.resolve("p.yaml");
    Files.writeString(
        spec,
        SPEC.replace("[AAA]", "[USA, GBR, DEU]").replace("holdoutDays: 10", "holdoutDays: 30"));
    Files.writeString(tmp.resolve("termination-log"), "");
    Path out = tmp.resolve("out");
    assertThat(
            run(
                "--spec",
                spec.toString(),
                "--output",
                out.toString(),
                "--data",
                Paths.owidSlim().toString(),
                "--shard",
                "1",
                "--shards",
                "2",
                "--run-id",
                "r-7"))
        .isZero();
    JsonNode meta = new ObjectMapper().readTree(out.resolve("almanac.json").toFile());
    assertThat(meta.path("forecast").path("series").fieldNames())
        .toIterable()
        .containsExactly("GBR");
    assertThat(meta.path("version").asText()).isEqualTo("r-7");
    assertThat(Files.readString(tmp.resolve("termination-log")))
        .contains("\"status\":\"Succeeded\"")
        .doesNotContain("seconds");
    assertThat(result(out).path("seconds").path("total").asDouble()).isPositive();

    // Champion/challenger: the bundle just written is scored on the next run's holdout.
    Path next = tmp.resolve("next");
    int code =
        run(
            "--spec",
            spec.toString(),
            "--output",
            next.toString(),
            "--data",
            Paths.owidSlim().toString(),
            "--shard",
            "1",
            "--shards",
            "2",
            "--champion",
            out.toString());
    JsonNode r = result(next);
    assertThat(r.path("championValue").asDouble()).isFinite().isPositive();
    assertThat(r.path("beatsChampion").isBoolean()).isTrue();
    assertThat(code).isEqualTo(r.path("beatsChampion").asBoolean() ? 0 : 4);
    assertThat(
            run(
                "--spec",
                spec.toString(),
                "--output",
                next.toString(),
                "--champion",
                tmp.resolve("nope").toString(),
                "--data",
                Paths.owidSlim().toString(),
                "--shard",
                "1",
                "--shards",
                "2"))
        .isEqualTo(2);
  }

  @Test
  void aRetrainOnUnchangedDataTiesWithTheChampionsValidationModel() throws Exception {
    Path spec = tmp.resolve("p.yaml");
    Files.writeString(
        spec,
        SPEC.replace("[AAA]", "[USA, GBR]")
            .replace("holdoutDays: 10", "holdoutDays: 30")
            .replace("{type: SeasonalNaive}", "{type: SeasonalNaive}, {type: ETS}"));
    Path champion = tmp.resolve("champion");
    String data = Paths.owidSlim().toString();
    assertThat(run("--spec", spec.toString(), "--output", champion.toString(), "--data", data))
        .isZero();
    JsonNode validation =
        new ObjectMapper().readTree(champion.resolve("validation/almanac.json").toFile());
    JsonNode cleaning =
        new ObjectMapper().readTree(champion.resolve("metrics.json").toFile()).path("cleaning");
    for (String id : new String[] {"USA", "GBR"}) {
      assertThat(validation.path("forecast").path("series").path(id).path("lastDate").asText())
          .as("the validation model of %s ends before its holdout", id)
          .isLessThan(cleaning.path(id).path("holdoutStart").asText());
    }

    Path next = tmp.resolve("next");
    int code =
        run(
            "--spec",
            spec.toString(),
            "--output",
            next.toString(),
            "--data",
            data,
            "--champion",
            champion.toString());
    JsonNode r = result(next);
    double value = r.path("value").asDouble();
    double championValue = r.path("championValue").asDouble();
    assertThat(championValue)
        .isCloseTo(value, org.assertj.core.data.Percentage.withPercentage(0.01));
    assertThat(r.path("beatsChampion").asBoolean()).isFalse();
    assertThat(r.path("message").asText()).contains("ties the production version");
    assertThat(code).as("mustBeatProduction keeps production on a tie").isEqualTo(4);
    assertThat(
            new ObjectMapper()
                .readTree(next.resolve("metrics.json").toFile())
                .path("champion")
                .path("model")
                .asText())
        .isEqualTo("validation");

    // a bundle from before validation models: scored with its refit model, which saw this holdout
    Path old = tmp.resolve("old");
    Files.createDirectories(old);
    try (var files = Files.list(champion)) {
      for (Path f : files.toList()) {
        if (Files.isRegularFile(f)) {
          Files.copy(f, old.resolve(f.getFileName()));
        }
      }
    }
    Path series = old.resolve("series");
    Files.createDirectories(series);
    try (var files = Files.list(champion.resolve("series"))) {
      for (Path f : files.toList()) {
        Files.copy(f, series.resolve(f.getFileName()));
      }
    }
    Path leaky = tmp.resolve("leaky");
    run(
        "--spec",
        spec.toString(),
        "--output",
        leaky.toString(),
        "--data",
        data,
        "--champion",
        old.toString());
    double refitValue = result(leaky).path("championValue").asDouble();
    System.out.printf(
        "challenger MASE %.6f, champion validation model %.6f, champion refit model %.6f%n",
        value, championValue, refitValue);
    assertThat(refitValue)
        .as("a different model: the refit one")
        .isNotCloseTo(value, org.assertj.core.data.Percentage.withPercentage(0.01));
    assertThat(
            new ObjectMapper()
                .readTree(leaky.resolve("metrics.json").toFile())
                .path("champion")
                .path("model")
                .asText())
        .isEqualTo("refit");
  }

  @Test
  void threeShardsMergeIntoTheBundleOfAnUnshardedRun() throws Exception {
    Path spec = tmp.resolve("p.yaml");
    Files.writeString(
        spec,
        SPEC.replace("[AAA]", "[USA, GBR, DEU]").replace("holdoutDays: 10", "holdoutDays: 30"));
    String data = Paths.owidSlim().toString();
    Path partials = tmp.resolve("partials");
    for (int i = 0; i < 3; i++) {
      run(
          "--spec",
          spec.toString(),
          "--output",
          partials.resolve("shard-" + i).toString(),
          "--data",
          data,
          "--shard",
          Integer.toString(i),
          "--shards",
          "3");
    }
    Path merged = tmp.resolve("merged");
    assertThat(
            run(
                "--spec",
                spec.toString(),
                "--output",
                merged.toString(),
                "--data",
                data,
                "--merge-shards",
                "3",
                "--partials",
                partials.toString(),
                "--run-id",
                "r-merge"))
        .isZero();
    Path whole = tmp.resolve("whole");
    assertThat(run("--spec", spec.toString(), "--output", whole.toString(), "--data", data))
        .isZero();

    try (var bundle = dev.almanac.ml.bundle.ModelBundle.load(merged);
        var validation = dev.almanac.ml.bundle.ModelBundle.load(merged.resolve("validation"))) {
      assertThat(bundle.series()).containsExactlyInAnyOrder("USA", "GBR", "DEU");
      assertThat(bundle.version()).isEqualTo("r-merge");
      assertThat(validation.series()).containsExactlyInAnyOrder("USA", "GBR", "DEU");
      for (String id : bundle.series()) {
        assertThat(bundle.forecast(id, 7).values()).hasSize(7);
      }
      assertThat(bundle.holdoutPredictions())
          .extracting(dev.almanac.ml.bundle.HoldoutPrediction::series)
          .contains("USA", "GBR", "DEU");
    }
    assertThat(result(merged).path("series").asInt()).isEqualTo(3);
    assertThat(result(merged).path("value").asDouble())
        .as("per-series models do not depend on the shard they were trained in")
        .isCloseTo(
            result(whole).path("value").asDouble(), org.assertj.core.data.Offset.offset(1e-9));

    // a shard missing: the merge fails and names it, nothing is written as a bundle
    assertThat(
            run(
                "--spec",
                spec.toString(),
                "--output",
                tmp.resolve("broken").toString(),
                "--data",
                data,
                "--merge-shards",
                "4",
                "--partials",
                partials.toString()))
        .isNotZero();
    assertThat(result(tmp.resolve("broken")).path("message").asText()).contains("shard 3");
  }

  @Test
  void tooShortSeriesIsADataError() throws Exception {
    Path spec = tmp.resolve("p.yaml");
    Files.writeString(spec, SPEC.replace("[AAA]", "[NRU]"));
    Path out = tmp.resolve("out");
    assertThat(
            run(
                "--spec",
                spec.toString(),
                "--output",
                out.toString(),
                "--data",
                Paths.owidSlim().toString()))
        .isEqualTo(3);
    assertThat(result(out).path("message").asText()).contains("series NRU has");
  }
}
