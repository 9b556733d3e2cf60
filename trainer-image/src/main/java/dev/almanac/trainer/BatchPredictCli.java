package dev.almanac.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.almanac.ml.bundle.BundleFiles;
import dev.almanac.ml.bundle.Forecast;
import dev.almanac.ml.bundle.ModelBundle;
import dev.almanac.registry.MlflowConnection;
import dev.almanac.registry.ModelUri;
import dev.almanac.registry.RegistryException;
import dev.almanac.trainer.batch.AsOfForecasts;
import dev.almanac.trainer.batch.PostgresPredictionSink;
import dev.almanac.trainer.batch.PostgresTarget;
import dev.almanac.trainer.batch.PredictionRow;
import dev.almanac.trainer.batch.PredictionSinkException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.io.FileUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Batch prediction after a promotion: downloads a registered forecast model (checksums verified),
 * forecasts every series it knows with the same recursive forecaster the server uses, and writes
 * {@code predictions.csv} and {@code predictions.json} (model, version, generation time) to an
 * {@code s3://} prefix — or a local directory — with a manifest written last, so a reader that sees
 * the manifest sees complete files. MLflow and S3 come from the standard environment. With {@code
 * --postgres-url} the same forecasts are also upserted into a PostgreSQL table, in one transaction
 * ({@link PostgresPredictionSink}).
 *
 * <p>{@code java -cp almanac-trainer.jar dev.almanac.trainer.BatchPredictCli --model
 * models:/covid-cases/7 --horizon 28 --output s3://bucket/almanac/predictions/covid-cases/v7}
 */
@Command(
    name = "almanac-batch-predict",
    mixinStandardHelpOptions = true,
    description = "Forecast every series of a registered model and write CSV + JSON")
public final class BatchPredictCli implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "models:/name/version (or @alias)")
  String model;

  @Option(names = "--horizon", defaultValue = "28", description = "Days to forecast (1..3650)")
  int horizon;

  @Option(
      names = "--output",
      required = true,
      description = "s3://bucket/prefix or a local directory")
  String output;

  @Option(
      names = "--as-of",
      description = "Data cutoff yyyy-MM-dd (spec.data.asOf): forecast from the history up to it")
  LocalDate asOf;

  @Option(
      names = "--pipeline",
      description =
          "Pipeline name stored with each row (default: $ALMANAC_PIPELINE, else the model name)")
  String pipeline;

  @Option(
      names = "--postgres-url",
      description =
          "Also upsert the forecasts into PostgreSQL (jdbc:postgresql://host:5432/db); "
              + "credentials from $ALMANAC_POSTGRES_USER and $ALMANAC_POSTGRES_PASSWORD")
  String postgresUrl;

  @Option(
      names = "--postgres-table",
      description = "Table for --postgres-url (default " + PostgresTarget.DEFAULT_TABLE + ")")
  String postgresTable;

  private final PrintStream out;
  private final Map<String, String> env;

  BatchPredictCli(PrintStream out, Map<String, String> env) {
    this.out = out;
    this.env = env;
  }

  public static void main(String[] args) {
    System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
    System.exit(run(args, System.out, System.getenv()));
  }

  public static int run(String[] args, PrintStream out, Map<String, String> env) {
    var cl = new CommandLine(new BatchPredictCli(out, env));
    cl.setExitCodeExceptionMapper(e -> 1);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          cl.getErr().println(ex.getMessage());
          return 2;
        });
    return cl.execute(args);
  }

  @Override
  public Integer call() throws IOException {
    if (horizon < 1 || horizon > 3650) {
      out.println("[error] --horizon must be in 1..3650, got " + horizon);
      return 2;
    }
    ModelUri uri;
    try {
      uri = ModelUri.parse(model);
    } catch (IllegalArgumentException e) {
      out.println("[error] --model: " + e.getMessage());
      return 2;
    }
    PostgresTarget postgres = null;
    if (postgresUrl != null) {
      try {
        postgres = PostgresTarget.of(postgresUrl, postgresTable, env);
      } catch (IllegalArgumentException e) {
        out.println("[error] --postgres-url/--postgres-table: " + e.getMessage());
        return 2;
      }
    }
    var work = Files.createTempDirectory("almanac-batch");
    try (var mlflow = MlflowConnection.fromEnv(env)) {
      var fetched =
          mlflow.fetcher().fetch(uri, work.resolve("model"), BundleFiles::readForPrediction);
      var version = fetched.version();
      out.println("[batch] " + version.name() + " version " + version.version() + " downloaded");
      try (var bundle = ModelBundle.load(fetched.directory())) {
        if (!"forecast".equals(bundle.task())) {
          out.println(
              "[error] "
                  + model
                  + " is a "
                  + bundle.task()
                  + " model; batch prediction forecasts series");
          return 2;
        }
        var result = work.resolve("predictions");
        Files.createDirectories(result);
        var generated = Instant.now().toString();
        // interval columns are appended (additive) and empty for a bundle without intervals
        var csv =
            new StringBuilder(
                "series,date,value,model,version,generated_at,lower_80,upper_80,lower_95,upper_95\n");
        var series = new ArrayList<Map<String, Object>>();
        var rows = new ArrayList<PredictionRow>();
        var pipelineName =
            pipeline != null
                ? pipeline
                : env.getOrDefault("ALMANAC_PIPELINE", "").isBlank()
                    ? version.name()
                    : env.get("ALMANAC_PIPELINE");
        var generatedAt = Instant.parse(generated);
        for (var id : bundle.series()) {
          Forecast forecast;
          try {
            forecast = AsOfForecasts.forecast(bundle, id, horizon, asOf);
          } catch (IllegalArgumentException e) {
            out.println("[error] --as-of: " + e.getMessage());
            return 2;
          }
          var dates = new ArrayList<String>();
          var bands = BatchIntervals.of(bundle, id, forecast.values());
          for (int i = 0; i < forecast.values().length; i++) {
            var date = forecast.dates().get(i).toString();
            dates.add(date);
            csv.append(
                String.format(
                    Locale.ROOT,
                    "%s,%s,%.4f,%s,%s,%s,%s%n",
                    id,
                    date,
                    forecast.values()[i],
                    version.name(),
                    version.version(),
                    generated,
                    bands.csvColumns(i)));
            rows.add(
                new PredictionRow(
                    pipelineName,
                    version.name(),
                    version.version(),
                    id,
                    forecast.dates().get(i),
                    i + 1,
                    forecast.values()[i],
                    generatedAt));
          }
          var entry = new LinkedHashMap<String, Object>();
          entry.put("series", id);
          entry.put("dates", dates);
          entry.put("values", forecast.values());
          if (!bands.levels().isEmpty()) {
            entry.put("intervals", bands.json());
          }
          series.add(entry);
        }
        Files.writeString(result.resolve("predictions.csv"), csv);
        var json = new LinkedHashMap<String, Object>();
        json.put("model", version.name());
        json.put("version", version.version());
        json.put("generatedAt", generated);
        json.put("horizon", horizon);
        json.put("series", series);
        new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .writeValue(result.resolve("predictions.json").toFile(), json);
        if (output.startsWith("s3://")) {
          mlflow.artifacts().uploadDirectory(result, output);
        } else {
          copy(result, Path.of(output));
        }
        out.println(
            "[batch] " + series.size() + " series x " + horizon + " days written to " + output);
        if (postgres != null) {
          var written = new PostgresPredictionSink(postgres).write(rows);
          out.println(
              "[batch] "
                  + written.rows()
                  + " rows upserted into "
                  + postgres.table()
                  + " at "
                  + postgres.shownUrl()
                  + " in one transaction ("
                  + written.upsertMillis()
                  + " ms"
                  + (written.migrationsApplied() > 0
                      ? ", " + written.migrationsApplied() + " schema migrations applied"
                      : "")
                  + ")");
        }
        return 0;
      }
    } catch (RegistryException e) {
      out.println("[error] MLflow/S3: " + e.getMessage());
      return 1;
    } catch (PredictionSinkException e) {
      out.println("[error] PostgreSQL: " + e.getMessage());
      return 1;
    } finally {
      // the downloaded model and the local copy of the files: written where they belong by now
      FileUtils.deleteQuietly(work.toFile());
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    for (var f : List.of("predictions.csv", "predictions.json")) {
      Files.copy(from.resolve(f), to.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
