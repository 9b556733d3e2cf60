package dev.almanac.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.Task;
import dev.almanac.registry.MlflowConnection;
import dev.almanac.registry.RegistryException;
import dev.almanac.trainer.evaluation.StoredForecastScoring;
import dev.almanac.trainer.pipeline.ClassificationRun;
import dev.almanac.trainer.pipeline.DataSnapshot;
import dev.almanac.trainer.pipeline.DataSourceStaging;
import dev.almanac.trainer.pipeline.DownloadRetry;
import dev.almanac.trainer.pipeline.ExitCode;
import dev.almanac.trainer.pipeline.ForecastRun;
import dev.almanac.trainer.pipeline.ForecastSettings;
import dev.almanac.trainer.pipeline.RunFailure;
import dev.almanac.trainer.pipeline.RunInputs;
import dev.almanac.trainer.pipeline.RunOptions;
import dev.almanac.trainer.pipeline.RunResult;
import dev.almanac.trainer.pipeline.ShardMerge;
import dev.almanac.trainer.pipeline.SpecLoader;
import dev.almanac.trainer.pipeline.StageLog;
import dev.almanac.trainer.tracking.MlflowRecorder;
import dev.almanac.trainer.tracking.RecordedRun;
import dev.almanac.trainer.tracking.ShardStore;
import dev.almanac.trainer.tracking.TerminationMessage;
import dev.almanac.trainer.tracking.UnchangedSinceProduction;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.commons.io.FileUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One training run = one process. Exit codes: 0 ok, 1 internal error, 2 bad spec or usage, 3 data
 * error, 4 gate or ONNX parity failure. The result summary goes to {@code <output>/result.json}
 * and, inside a Kubernetes pod, to {@code /dev/termination-log}.
 */
@Command(
    name = "almanac-trainer",
    mixinStandardHelpOptions = true,
    version = "almanac-trainer 0.1.0",
    description = "Trains, validates and exports the models of one ForecastPipeline run.")
public final class TrainerCli implements Callable<Integer> {
  static final Path TERMINATION_LOG = Path.of("/dev/termination-log");
  private static final int TERMINATION_LIMIT = 4096;

  @Option(
      names = "--spec",
      required = true,
      description = "ForecastPipeline YAML (as for kubectl apply)")
  Path spec;

  @Option(
      names = "--output",
      required = true,
      description = "Directory for the model bundle and result.json")
  Path output;

  @Option(names = "--data", description = "Local data file overriding spec.data.source")
  Path data;

  @Option(names = "--shard", defaultValue = "0", description = "This shard's index (0-based)")
  int shard;

  @Option(
      names = "--shards",
      defaultValue = "1",
      description = "Number of shards; shard i trains series i, i+n, ...")
  int shards;

  @Option(
      names = "--merge-shards",
      defaultValue = "0",
      description =
          "Merge step of a sharded run: assemble the partial bundles of this many shards into one"
              + " bundle and register it")
  int mergeShards;

  @Option(
      names = "--partials",
      description =
          "Local directory with the shards' partial bundles (shard-0, shard-1, ...) for"
              + " --merge-shards; default: spec.artifacts.s3 under shards/<run-id>/")
  Path partials;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed of every model fit")
  long seed;

  @Option(
      names = "--threads",
      description = "CPU threads (default: available processors, i.e. the container CPU limit)")
  Integer threads;

  @Option(
      names = "--champion",
      description =
          "Bundle directory of the production version; forecast runs score it on this run's holdout")
  Path champion;

  @Option(
      names = "--training-spec-digest",
      description =
          "The operator's digest of the training-relevant spec, recorded on the version"
              + " (almanac.training_spec_sha256)")
  String trainingSpecDigest;

  @Option(
      names = "--skip-if-unchanged",
      description =
          "Scheduled runs: exit without training when the data and the training spec digest equal"
              + " the production version's")
  boolean skipIfUnchanged;

  @Option(
      names = "--run-id",
      description = "Run identifier recorded in the bundle (default: local-<UTC timestamp>)")
  String runId;

  @Option(
      names = "--no-mlflow",
      description = "Do not record the run in MLflow even when spec.mlflow is set (local runs)")
  boolean noMlflow;

  private final PrintStream out;
  private final Path terminationLog;

  TrainerCli(PrintStream out, Path terminationLog) {
    this.out = out;
    this.terminationLog = terminationLog;
  }

  public static void main(String[] args) {
    // Local runners (and tests) point the termination message elsewhere; in a pod it is
    // /dev/termination-log.
    var override = System.getenv("ALMANAC_TERMINATION_LOG");
    System.exit(
        run(
            args,
            System.out,
            override == null || override.isBlank() ? TERMINATION_LOG : Path.of(override)));
  }

  /** Entry point for tests and embedding: parses {@code args}, runs, returns the exit code. */
  public static int run(String[] args, PrintStream out, Path terminationLog) {
    // DJL must never reach the network (cloud metadata, model zoo) from a training pod.
    System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
    System.setProperty("OPT_OUT_TRACKING", System.getProperty("OPT_OUT_TRACKING", "true"));
    CommandLine cl = new CommandLine(new TrainerCli(out, terminationLog));
    cl.setExitCodeExceptionMapper(e -> ExitCode.INTERNAL.code());
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          cl.getErr().println(ex.getMessage());
          cl.getErr()
              .println(
                  "usage: almanac-trainer --spec <pipeline.yaml> --output <dir> [--data <file>] [--shard i --shards n] [--seed N]");
          return ExitCode.BAD_SPEC.code();
        });
    return cl.execute(args);
  }

  @Override
  public Integer call() {
    StageLog log = new StageLog(out);
    RunResult result;
    RecordedRun recorded = null;
    boolean tracked = false;
    try {
      String id =
          runId != null
              ? runId
              : "local-"
                  + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                      .withZone(ZoneOffset.UTC)
                      .format(Instant.now());
      ForecastPipeline fp = log.stage("spec", () -> SpecLoader.load(spec));
      boolean download = data == null && DataSourceStaging.isRemote(fp);
      Path source =
          !download
              ? data
              : log.stage(
                  "data",
                  () ->
                      DataSourceStaging.stage(
                          fp,
                          System.getenv(),
                          output.resolveSibling(output.getFileName() + ".data"),
                          DownloadRetry.DEFAULT,
                          notice -> log.info("data", notice + "; trying again")));
      ForecastSettings settings = ForecastSettings.from(fp, source);
      tracked = fp.getSpec().getMlflow() != null && !noMlflow;
      MlflowConnection mlflow = tracked ? MlflowRecorder.connect(fp, System.getenv()) : null;
      MlflowRecorder recorder = tracked ? new MlflowRecorder(mlflow, out) : null;
      if (tracked) {
        String inputs = log.stage("inputs", () -> RunInputs.digest(settings));
        var tags = new java.util.LinkedHashMap<String, String>();
        tags.put(UnchangedSinceProduction.INPUTS_TAG, inputs);
        if (trainingSpecDigest != null) {
          tags.put(UnchangedSinceProduction.TRAINING_SPEC_TAG, trainingSpecDigest);
        }
        recorder.withVersionTags(tags);
        if (skipIfUnchanged) {
          var production = recorder.productionVersion(fp);
          var skip =
              production.flatMap(
                  v -> UnchangedSinceProduction.check(v, inputs, trainingSpecDigest));
          if (skip.isPresent()) {
            log.info("skip", skip.get());
            writeResult(RunResult.skipped(skip.get(), log.seconds()), false);
            writeTerminationMessage(
                TerminationMessage.skipped(skip.get(), production.get().version()));
            return ExitCode.OK.code();
          }
        }
      }
      // a downloaded source may change or vanish: keep the bytes this run saw, under their digest
      Optional<DataSnapshot> snapshot =
          !download || !tracked
              ? Optional.empty()
              : log.stage(
                  "snapshot",
                  () ->
                      DataSnapshot.keep(
                          fp,
                          System.getenv(),
                          source,
                          DownloadRetry.DEFAULT,
                          notice -> log.info("snapshot", notice + "; trying again")));
      snapshot.ifPresent(
          s -> log.info("snapshot", (s.written() ? "kept as " : "already kept as ") + s.uri()));
      Optional<MlflowRecorder.Champion> production =
          tracked && champion == null
              ? log.stage("champion", () -> recorder.fetchChampion(fp, championDir()))
              : Optional.empty();
      Path championBundle =
          champion != null
              ? champion
              : production
                  .filter(c -> settings.task() == Task.FORECAST)
                  .map(MlflowRecorder.Champion::bundle)
                  .orElse(null);
      RunOptions opts;
      try {
        opts =
            new RunOptions(
                output,
                source,
                shard,
                shards,
                seed,
                threads != null ? threads : Runtime.getRuntime().availableProcessors(),
                id,
                championBundle);
      } catch (IllegalArgumentException e) {
        throw new RunFailure(ExitCode.BAD_SPEC, e.getMessage());
      }
      log.info(
          "spec",
          settings.task().wireName()
              + " pipeline "
              + settings.pipeline()
              + ", models "
              + settings.models().stream().map(m -> m.name()).toList()
              + ", threads "
              + opts.threads()
              + ", seed "
              + seed
              + (tracked
                  ? ", MLflow " + fp.getSpec().getMlflow().getTrackingUri()
                  : ", not tracked in MLflow"));
      if ((shards > 1 || mergeShards > 0) && settings.task() != Task.FORECAST) {
        throw new RunFailure(
            ExitCode.BAD_SPEC,
            "trainer.shards > 1 splits the series of a forecast; a classifier cannot be sharded");
      }
      if (shards > 1 && mergeShards > 0) {
        throw new RunFailure(ExitCode.BAD_SPEC, "--merge-shards runs once, not as a shard");
      }
      if (mergeShards > 0) {
        List<Path> parts =
            partials != null
                ? java.util.stream.IntStream.range(0, mergeShards)
                    .mapToObj(i -> partials.resolve("shard-" + i))
                    .toList()
                : log.stage(
                    "partials",
                    () -> {
                      try (var store = ShardStore.of(fp, System.getenv(), id)) {
                        return store.getAll(
                            mergeShards, output.resolveSibling(output.getFileName() + ".shards"));
                      }
                    });
        result = new ShardMerge(settings, opts, log).run(parts);
      } else {
        result =
            settings.task() == Task.FORECAST
                ? new ForecastRun(settings, opts, log).run()
                : new ClassificationRun(settings, opts, log).run();
      }
      if (shards > 1 && tracked && registrable(result)) {
        // a shard registers nothing: the merge step assembles every shard's bundle into one version
        final RunResult partial = result;
        String uri =
            log.stage(
                "partial",
                () -> {
                  try (var store = ShardStore.of(fp, System.getenv(), id)) {
                    return store.put(shard, output);
                  }
                });
        log.info("partial", "shard " + shard + " of " + shards + " left at " + uri);
        writeResult(partial, false);
        writeTerminationMessage(TerminationMessage.partial(shard, shards, uri));
        return ExitCode.OK.code();
      }
      if (settings.task() == Task.FORECAST && registrable(result)) {
        // earlier versions' stored forecasts against the actuals this run's data now has
        var realized =
            new java.util.LinkedHashMap<>(
                log.stage(
                    "realized",
                    () -> StoredForecastScoring.run(fp, settings, System.getenv(), log, output)));
        if (!realized.isEmpty() && tracked) {
          // beside each scored version its holdout MASE: the accuracy alert compares the two
          realized.putAll(
              recorder.holdoutMase(
                  settings.registeredModel(), StoredForecastScoring.versions(realized)));
        }
        result = realized.isEmpty() ? result : result.plusMetrics(realized);
      }
      if (tracked && registrable(result)) {
        // Gates are the operator's decision: a version that misses one is still recorded (in
        // Staging, never promoted).
        final RunResult finished = result;
        recorded =
            log.stage(
                "mlflow",
                () -> recorder.record(fp, settings, finished, output, id, production, snapshot));
        result =
            recorded.championValue() != null && finished.championValue() == null
                ? finished.withChampion(recorded.championValue())
                : finished;
      }
    } catch (RunFailure e) {
      out.println("[error] " + e.getMessage());
      result = RunResult.failure(e.exitCode(), e.getMessage(), log.seconds());
    } catch (RegistryException e) {
      out.println("[error] MLflow/S3: " + e.getMessage());
      result = RunResult.failure(ExitCode.INTERNAL, "MLflow/S3: " + e.getMessage(), log.seconds());
    } catch (RuntimeException e) {
      e.printStackTrace(out);
      result =
          RunResult.failure(
              ExitCode.INTERNAL,
              e.getClass().getSimpleName() + ": " + e.getMessage(),
              log.seconds());
    }
    FileUtils.deleteQuietly(championDir().toFile());
    int exit = recorded != null ? ExitCode.OK.code() : result.exitCode();
    writeResult(result, !tracked);
    if (tracked) {
      writeTerminationMessage(TerminationMessage.of(result, recorded, exit));
    }
    return exit;
  }

  /** Where the production version is downloaded for the comparison; deleted when the run ends. */
  private Path championDir() {
    return output.resolveSibling(output.getFileName() + ".champion");
  }

  /**
   * Succeeded, or failed only a gate: ONNX parity held, so the version is sound and the operator
   * may judge it.
   */
  private static boolean registrable(RunResult r) {
    return r.exitCode() == ExitCode.OK.code()
        || (r.exitCode() == ExitCode.GATE_OR_PARITY_FAILED.code()
            && r.parityMaxRelDiff() != null
            && r.parityMaxRelDiff() <= ForecastRun.PARITY_TOLERANCE);
  }

  private void writeTerminationMessage(String message) {
    if (terminationLog != null && Files.isWritable(terminationLog)) {
      try {
        Files.writeString(terminationLog, message);
      } catch (IOException e) {
        out.println("[error] cannot write the termination message: " + e.getMessage());
      }
    }
  }

  private void writeResult(RunResult r, boolean toTerminationLog) {
    ObjectMapper json = new ObjectMapper();
    try {
      Files.createDirectories(output);
      Files.writeString(
          output.resolve("result.json"),
          json.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
      if (terminationLog != null && Files.isWritable(terminationLog) && toTerminationLog) {
        String compact = new ObjectMapper().writeValueAsString(r.withoutDetails());
        Files.writeString(
            terminationLog,
            compact.length() > TERMINATION_LIMIT
                ? compact.substring(0, TERMINATION_LIMIT)
                : compact);
      }
    } catch (IOException e) {
      out.println("[error] cannot write the result: " + e.getMessage());
    }
  }
}
