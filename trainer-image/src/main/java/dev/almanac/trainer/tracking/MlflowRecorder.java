package dev.almanac.trainer.tracking;

import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.StagesPolicy;
import dev.almanac.ml.bundle.ModelBundle;
import dev.almanac.registry.Dataset;
import dev.almanac.registry.DatasetInput;
import dev.almanac.registry.Metric;
import dev.almanac.registry.MlflowConnection;
import dev.almanac.registry.ModelVersionInfo;
import dev.almanac.registry.RegistryException;
import dev.almanac.registry.ResourceNotFoundException;
import dev.almanac.registry.RunBatch;
import dev.almanac.registry.RunStatus;
import dev.almanac.registry.Stage;
import dev.almanac.registry.StagesUnsupportedException;
import dev.almanac.trainer.pipeline.DataSnapshot;
import dev.almanac.trainer.pipeline.DataSourceStaging;
import dev.almanac.trainer.pipeline.ForecastSettings;
import dev.almanac.trainer.pipeline.RunResult;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.io.FileUtils;

/**
 * Records one finished training run in MLflow: params, metrics (overall and per series), the data
 * set as a dataset input, holdout charts, the bundle as the run's {@code model} artifact (on MLflow
 * 3: a logged model of the run, with its metrics and dataset; see {@code ModelPublisher}), then a
 * new registered version tagged with the run's facts and marked as the challenger (alias, tag, and
 * stage Staging where the registry has stages). Before registering, the current production version
 * (alias first, then stage) is scored on the same holdout.
 *
 * <p>Order matters: every artifact is uploaded (manifest last) before the version is created, so an
 * S3 failure never leaves a registered version behind; on any failure the MLflow run ends FAILED.
 */
public final class MlflowRecorder {
  static final String DEFAULT_ALIAS = "production";
  static final String DEFAULT_CHALLENGER_ALIAS = "challenger";

  /**
   * Version tag naming a version's part in promotion: challenger, production, archived, rejected.
   */
  static final String ROLE_TAG = "almanac.role";

  private final MlflowConnection mlflow;
  private final PrintStream log;
  private final Map<String, String> extraVersionTags = new LinkedHashMap<>();

  public MlflowRecorder(MlflowConnection mlflow, PrintStream log) {
    this.mlflow = mlflow;
    this.log = log;
  }

  /**
   * Connection settings: the pipeline's values over the environment ({@link
   * ConnectionEnvironment}).
   */
  public static MlflowConnection connect(ForecastPipeline fp, Map<String, String> env) {
    return MlflowConnection.fromEnv(ConnectionEnvironment.merged(fp, env));
  }

  /**
   * The production version and its bundle, downloaded (checksums verified) so the run can score it.
   */
  public record Champion(ModelVersionInfo version, Path bundle) {}

  /** The production version's registry entry (tags included), without downloading it. */
  public Optional<ModelVersionInfo> productionVersion(ForecastPipeline fp) {
    var spec = fp.getSpec();
    return champion(
        spec.getMlflow().getRegisteredModel(),
        spec.getPromotion() == null ? null : spec.getPromotion().getAlias());
  }

  /**
   * Further version tags for {@link #record} (e.g. the inputs and training spec digests a later
   * scheduled run compares with).
   */
  public MlflowRecorder withVersionTags(Map<String, String> tags) {
    extraVersionTags.putAll(tags);
    return this;
  }

  /**
   * Downloads the production version into {@code dir} (replaced if present); the caller deletes it
   * when the run ends.
   */
  public Optional<Champion> fetchChampion(ForecastPipeline fp, Path dir) {
    var spec = fp.getSpec();
    var found =
        champion(
            spec.getMlflow().getRegisteredModel(),
            spec.getPromotion() == null ? null : spec.getPromotion().getAlias());
    if (found.isEmpty()) {
      log.println(
          "[mlflow] no production version of "
              + spec.getMlflow().getRegisteredModel()
              + " yet: nothing to compare with");
      return Optional.empty();
    }
    try {
      FileUtils.deleteDirectory(dir.toFile());
      var fetched = mlflow.fetcher().fetch(found.get(), dir.resolve("model"));
      log.println(
          "[mlflow] champion: version " + found.get().version() + " downloaded for comparison");
      return Optional.of(new Champion(found.get(), fetched.directory()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RegistryException e) {
      // An unreadable champion must not block a new model, but the result says it was not compared.
      log.println(
          "[mlflow] champion v"
              + found.get().version()
              + " could not be downloaded: "
              + e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * @param snapshot where the run's downloaded input was kept ({@link DataSnapshot}); it becomes
   *     the source of the run's dataset input and the version's {@code almanac.data_snapshot} tag
   */
  public RecordedRun record(
      ForecastPipeline fp,
      ForecastSettings settings,
      RunResult result,
      Path bundleDir,
      String runName,
      Optional<Champion> champion,
      Optional<DataSnapshot> snapshot) {
    var spec = fp.getSpec();
    var model = spec.getMlflow().getRegisteredModel();
    var namespace =
        fp.getMetadata().getNamespace() == null ? "default" : fp.getMetadata().getNamespace();
    var experimentName =
        spec.getMlflow().getExperiment() != null
            ? spec.getMlflow().getExperiment()
            : namespace + "/" + settings.pipeline();
    // new experiments go through MLflow's artifact proxy when the server has one, so a version's
    // source is mlflow-artifacts:/... and Python loads it with MLFLOW_TRACKING_URI alone
    var experiment = mlflow.tracking().getOrCreateReadableExperiment(experimentName);
    var tags = new LinkedHashMap<String, String>();
    tags.put("mlflow.source.name", "almanac-trainer");
    tags.put("mlflow.source.type", "JOB");
    tags.put("almanac.pipeline", settings.pipeline());
    tags.put("almanac.namespace", namespace);
    tags.put("almanac.run", runName);
    tags.put("almanac.task", settings.task().wireName());
    var run = mlflow.tracking().startRun(experiment.id(), runName, tags);
    log.println(
        "[mlflow] run "
            + run.runId()
            + " in experiment "
            + experimentName
            + " (artifacts at "
            + run.artifactUri()
            + ")");
    try (var bundle = ModelBundle.load(bundleDir)) {
      mlflow
          .tracking()
          .log(run.runId(), new RunBatch(params(settings), metrics(bundle, result), Map.of()));
      logDataset(run.runId(), bundle, settings, fp, snapshot);
      var chartsDir = Files.createTempDirectory("almanac-charts");
      try {
        var charts = HoldoutCharts.render(bundle, chartsDir);
        if (charts.isPresent()) {
          mlflow.artifacts().uploadDirectory(charts.get(), run.artifactUri() + "/charts");
        }
      } finally {
        FileUtils.deleteQuietly(chartsDir.toFile());
      }

      Double championValue = result.championValue();
      if (championValue == null && champion.isPresent()) {
        championValue = scoreChampion(bundle, champion.get(), settings, result.metric());
      }

      var versionTags = new LinkedHashMap<String, String>();
      versionTags.put("almanac.pipeline", settings.pipeline());
      versionTags.put("almanac.namespace", namespace);
      versionTags.put("almanac.run", runName);
      versionTags.put("almanac.mlflow_run", run.runId());
      versionTags.put("almanac.metric", result.metric());
      versionTags.put("almanac.value", String.valueOf(result.value()));
      versionTags.put("almanac.data_sha256", String.valueOf(result.dataSha256()));
      snapshot.ifPresent(s -> versionTags.put("almanac.data_snapshot", s.uri()));
      versionTags.putAll(extraVersionTags);
      champion.ifPresent(c -> versionTags.put("almanac.champion_version", c.version().version()));
      if (championValue != null) {
        versionTags.put("almanac.champion_value", championValue.toString());
      }
      var published = mlflow.publisher().publish(run.runId(), bundleDir, model, versionTags);
      var version = markChallenger(fp, model, published.version());
      log.println(
          "[mlflow] registered "
              + model
              + " version "
              + version.version()
              + " (alias "
              + challengerAlias(fp)
              + (version.stage() == Stage.NONE ? "" : ", stage " + version.stage())
              + ")"
              + published.loggedModel().map(m -> " from logged model " + m.modelId()).orElse("")
              + champion
                  .map(c -> ", champion v" + c.version().version() + " scored on the same holdout")
                  .orElse(""));
      mlflow.tracking().endRun(run.runId(), RunStatus.FINISHED);
      return new RecordedRun(
          run.runId(),
          model,
          version.version(),
          champion.map(c -> c.version().version()).orElse(null),
          championValue);
    } catch (IOException e) {
      endFailed(run.runId());
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      endFailed(run.runId());
      throw e;
    }
  }

  /**
   * {@code holdout_mase.v<version>} for each of {@code versions} registered with MASE as gate
   * metric (version tags {@code almanac.metric}/{@code almanac.value}), so realized MASE can be
   * compared with it.
   */
  public Map<String, Double> holdoutMase(String model, java.util.Collection<String> versions) {
    var out = new LinkedHashMap<String, Double>();
    for (var v : versions) {
      try {
        var tags = mlflow.registry().getVersion(model, v).tags();
        if ("MASE".equals(tags.get("almanac.metric")) && tags.get("almanac.value") != null) {
          out.put("holdout_mase.v" + v, Double.parseDouble(tags.get("almanac.value")));
        }
      } catch (ResourceNotFoundException | NumberFormatException e) {
        log.println("[realized] no holdout MASE for version " + v + ": " + e.getMessage());
      }
    }
    return out;
  }

  /**
   * Marks a new version as the challenger: alias (moved from the previous challenger) and tag
   * {@code almanac.role=challenger}, plus stage Staging as {@code promotion.stages} asks: Auto
   * moves it while the registry accepts stages, Always insists, Never leaves stages alone.
   */
  private ModelVersionInfo markChallenger(
      ForecastPipeline fp, String model, ModelVersionInfo registered) {
    var version = registered.version();
    mlflow.registry().setVersionTag(model, version, ROLE_TAG, "challenger");
    mlflow.registry().setAlias(model, challengerAlias(fp), version);
    var stages = stagesPolicy(fp);
    if (stages == StagesPolicy.Never) {
      return mlflow.registry().getVersion(model, version);
    }
    try {
      return mlflow.registry().transitionStage(model, version, Stage.STAGING, false);
    } catch (StagesUnsupportedException e) {
      if (stages == StagesPolicy.Always) {
        throw new RegistryException("promotion.stages is Always but " + e.getMessage());
      }
      log.println(
          "[mlflow] the registry has no stages: version "
              + version
              + " is marked by alias "
              + challengerAlias(fp)
              + " only (promotion.stages Auto)");
      return mlflow.registry().getVersion(model, version);
    }
  }

  static StagesPolicy stagesPolicy(ForecastPipeline fp) {
    var p = fp.getSpec().getPromotion();
    return p == null || p.getStages() == null ? StagesPolicy.Auto : p.getStages();
  }

  static String challengerAlias(ForecastPipeline fp) {
    var p = fp.getSpec().getPromotion();
    return p == null || p.getChallengerAlias() == null
        ? DEFAULT_CHALLENGER_ALIAS
        : p.getChallengerAlias();
  }

  /**
   * The version in production now: the promotion alias, else the newest version in stage
   * Production.
   */
  private Optional<ModelVersionInfo> champion(String model, String alias) {
    try {
      return Optional.of(
          mlflow.registry().versionByAlias(model, alias == null ? DEFAULT_ALIAS : alias));
    } catch (ResourceNotFoundException e) {
      try {
        return mlflow.registry().latestVersions(model).stream()
            .filter(v -> v.stage() == Stage.PRODUCTION)
            .max(Comparator.comparingInt(v -> Integer.parseInt(v.version())));
      } catch (ResourceNotFoundException | StagesUnsupportedException none) {
        return Optional.empty();
      }
    }
  }

  /**
   * Classification champions are scored here; forecast champions inside the run (same holdout
   * recursion).
   */
  private Double scoreChampion(
      ModelBundle challenger, Champion champion, ForecastSettings settings, String metric) {
    try (var bundle = ModelBundle.load(champion.bundle())) {
      var score =
          ChampionScorer.score(challenger, bundle, metric, settings.testData(), settings.target());
      if (score.isPresent()) {
        log.println(
            "[mlflow] champion v"
                + champion.version().version()
                + " "
                + metric
                + " on this test split: "
                + String.format("%.4f", score.getAsDouble()));
        return score.getAsDouble();
      }
      log.println(
          "[mlflow] champion v"
              + champion.version().version()
              + " shares no series/labels with this run; not compared");
      return null;
    } catch (RuntimeException e) {
      log.println(
          "[mlflow] champion v"
              + champion.version().version()
              + " could not be scored: "
              + e.getMessage());
      return null;
    }
  }

  private void logDataset(
      String runId,
      ModelBundle bundle,
      ForecastSettings settings,
      ForecastPipeline fp,
      Optional<DataSnapshot> snapshot) {
    var lineage = bundle.metadata().data();
    var local =
        lineage == null || lineage.source() == null ? settings.data().toString() : lineage.source();
    var digest =
        snapshot
            .map(DataSnapshot::sha256)
            .orElse(lineage == null || lineage.sha256() == null ? "unknown" : lineage.sha256());
    var name = Path.of(local).getFileName().toString();
    var profile = lineage == null ? "" : "{\"rows\": " + lineage.rows() + "}";
    var schema =
        "forecast".equals(bundle.task())
            ? "{\"mlflow_colspec\": [{\"name\": \""
                + settings.timeColumn()
                + "\", \"type\": \"string\"}, {\"name\": \""
                + settings.target()
                + "\", \"type\": \"double\"}]}"
            : "";
    // a kept snapshot is the source to retrain or re-score from; the origin stays beside it
    var source =
        snapshot
            .map(
                s ->
                    "{\"uri\": \""
                        + s.uri()
                        + "\", \"origin\": \""
                        + DataSourceStaging.origin(fp).replace("\"", "")
                        + "\"}")
            .orElse("{\"uri\": \"" + local.replace("\"", "") + "\"}");
    var sourceType = snapshot.isPresent() ? "s3" : local.startsWith("http") ? "http" : "local";
    mlflow
        .tracking()
        .logInputs(
            runId,
            List.of(
                DatasetInput.of(
                    new Dataset(
                        name,
                        digest.length() > 36 ? digest.substring(0, 36) : digest,
                        sourceType,
                        source,
                        schema,
                        profile),
                    "training")));
  }

  static Map<String, String> params(ForecastSettings s) {
    var p = new LinkedHashMap<String, String>();
    p.put("task", s.task().wireName());
    p.put("target", s.target());
    p.put("models", s.models().stream().map(m -> m.name()).toList().toString());
    p.put("metric", s.metric());
    p.put("threshold", String.valueOf(s.threshold()));
    p.put("must_beat_production", String.valueOf(s.mustBeatProduction()));
    if ("forecast".equals(s.task().wireName())) {
      p.put("series", String.valueOf(s.series()));
      p.put("horizon", String.valueOf(s.horizon()));
      p.put("holdout_days", String.valueOf(s.holdoutDays()));
      p.put("ensemble", String.valueOf(s.ensemble()));
      p.put("global", String.valueOf(s.global()));
      p.put("lags", String.valueOf(s.features().lags()));
      p.put("rolling_windows", String.valueOf(s.features().rollingWindows()));
      p.put("calendar", String.valueOf(s.features().calendar()));
      p.put("differences", String.valueOf(s.features().differences()));
    } else {
      p.put("cv_folds", String.valueOf(s.cvFolds()));
    }
    return p;
  }

  /**
   * Overall metrics as {@code <model>.<metric>}, per-series ones as {@code <metric>.<series>}
   * (promoted model).
   */
  static List<Metric> metrics(ModelBundle bundle, RunResult result) {
    var out = new ArrayList<Metric>();
    var m = bundle.metrics();
    if (result.value() != null) {
      out.add(Metric.of(result.metric().toLowerCase(java.util.Locale.ROOT), result.value(), 0));
    }
    if (result.metrics() != null) {
      // realized accuracy of earlier versions, scored in this run (StoredForecastScoring)
      result
          .metrics()
          .forEach(
              (k, v) -> {
                if (k.startsWith("realized_") && v != null && Double.isFinite(v)) {
                  out.add(Metric.of(k, v, 0));
                }
              });
    }
    flatten("", m.get("overall"), out, 3);
    flatten("test.", m.get("test"), out, 3);
    flatten("cv.", m.get("crossValidation"), out, 3);
    var promoted = String.valueOf(m.getOrDefault("promoted", "ensemble"));
    if (m.get("perSeries") instanceof Map<?, ?> perSeries) {
      perSeries.forEach(
          (series, models) -> {
            if (models instanceof Map<?, ?> byModel
                && byModel.get(promoted) instanceof Map<?, ?> values) {
              values.forEach(
                  (k, v) -> {
                    if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
                      out.add(Metric.of(k + "." + series, n.doubleValue(), 0));
                    }
                  });
            }
          });
    }
    return out.size() > 900 ? out.subList(0, 900) : out;
  }

  private static void flatten(String prefix, Object node, List<Metric> out, int depth) {
    if (node instanceof Number n && Double.isFinite(n.doubleValue())) {
      out.add(
          Metric.of(
              prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix,
              n.doubleValue(),
              0));
    } else if (node instanceof Map<?, ?> map && depth > 0) {
      map.forEach((k, v) -> flatten(prefix + k + ".", v, out, depth - 1));
    }
  }

  private void endFailed(String runId) {
    try {
      mlflow.tracking().endRun(runId, RunStatus.FAILED);
    } catch (RuntimeException ignored) {
      // the original failure is what the user needs to see
    }
  }
}
