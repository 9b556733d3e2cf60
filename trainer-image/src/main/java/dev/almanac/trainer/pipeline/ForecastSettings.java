package dev.almanac.trainer.pipeline;

import dev.almanac.api.v1alpha1.pipeline.EnsembleMethod;
import dev.almanac.api.v1alpha1.pipeline.FeatureSpec;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipelineSpec;
import dev.almanac.api.v1alpha1.pipeline.ModelSpec;
import dev.almanac.api.v1alpha1.pipeline.ModelType;
import dev.almanac.api.v1alpha1.pipeline.Task;
import dev.almanac.trainer.models.ModelCatalog;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A ForecastPipeline spec with every default applied and every run-time check done once, so the
 * pipelines below never look at nullable CRD fields.
 *
 * @param asOf the data cutoff ({@code spec.data.asOf}): rows dated after it are not read; null =
 *     none
 */
public record ForecastSettings(
    String pipeline,
    String registeredModel,
    Task task,
    Path data,
    Path testData,
    String timeColumn,
    String seriesColumn,
    String target,
    List<String> series,
    dev.almanac.ml.features.FeatureSpec features,
    List<ModelChoice> models,
    boolean global,
    EnsembleMethod ensemble,
    int horizon,
    int holdoutDays,
    String metric,
    Double threshold,
    boolean mustBeatProduction,
    int cvFolds,
    LocalDate asOf) {

  public static ForecastSettings from(ForecastPipeline fp, Path dataOverride) {
    ForecastPipelineSpec s = fp.getSpec();
    String pipeline =
        fp.getMetadata() != null && fp.getMetadata().getName() != null
            ? fp.getMetadata().getName()
            : "pipeline";
    if (s.getTask() == null) {
      throw bad("spec.task is required (forecast | classification)");
    }
    if (s.getData() == null
        || s.getData().getTarget() == null
        || s.getData().getTarget().isBlank()) {
      throw bad("spec.data.target is required");
    }
    Path dataDir = dataDir();
    Path data = dataOverride;
    if (data == null) {
      var src = s.getData().getSource();
      if (src == null || src.getPath() == null) {
        throw bad(
            "spec.data.source needs a path, url or s3 location for the trainer (a configMapRef is mounted by the operator and passed with --data; locally, pass --data <file>)");
      }
      data = dataDir.resolve(src.getPath());
      if (!data.toFile().exists() && !Path.of(src.getPath()).isAbsolute()) {
        throw new RunFailure(
            ExitCode.DATA_ERROR,
            "spec.data.source.path "
                + src.getPath()
                + " not found under the data directory "
                + dataDir
                + " (relative paths resolve against $ALMANAC_DATA_DIR, default /data; set it, e.g. ALMANAC_DATA_DIR=../shared/data,"
                + " or pass --data <file>)");
      }
    }
    Path test = null;
    if (s.getData().getTestPath() != null) {
      Path t = Path.of(s.getData().getTestPath());
      test = dataDir.resolve(t);
      if (!test.toFile().exists() && data.toAbsolutePath().getParent() != null) {
        // --data moved the training file: its test split is expected next to it.
        test = data.toAbsolutePath().getParent().resolve(t.getFileName());
      }
    }
    FeatureSpec f = s.getFeatures();
    var features =
        new dev.almanac.ml.features.FeatureSpec(
            f == null || f.getLags() == null ? List.of(1, 7, 14) : f.getLags(),
            f == null || f.getRollingWindows() == null ? List.of(7, 14) : f.getRollingWindows(),
            f == null || f.getCalendar() == null || f.getCalendar(),
            f == null || f.getDifferences() == null || f.getDifferences());
    List<ModelChoice> models = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    List<ModelSpec> specModels = s.getModels();
    if (specModels == null || specModels.isEmpty()) {
      for (ModelType t :
          ModelType.defaultsFor(s.getTask())) { // every type of the task but the opt-in ones
        models.add(new ModelChoice(t.name(), t, Map.of()));
      }
    } else {
      for (ModelSpec m : specModels) {
        if (m.getType() == null) {
          throw bad("spec.models[].type is required");
        }
        ModelType type = m.getType();
        try {
          ModelCatalog.requireSupported(type, s.getTask());
        } catch (IllegalArgumentException e) {
          throw bad("spec.models: " + e.getMessage());
        }
        Map<String, String> params = m.getParams() == null ? Map.of() : m.getParams();
        String base;
        try {
          base = ModelChoice.baseName(type, params);
        } catch (IllegalArgumentException e) {
          throw bad("spec.models " + type + ".params: " + e.getMessage());
        }
        int k = seen.merge(base, 1, Integer::sum);
        models.add(new ModelChoice(k == 1 ? base : base + "#" + k, type, params));
      }
    }
    var v = s.getValidation();
    String metric =
        v != null && v.getMetric() != null
            ? v.getMetric().name()
            : (s.getTask() == Task.FORECAST ? "MASE" : "Accuracy");
    Double threshold = null;
    if (v != null && v.getThreshold() != null) {
      try {
        threshold = Double.parseDouble(v.getThreshold());
      } catch (NumberFormatException e) {
        throw bad(
            "spec.validation.threshold must be a decimal number, got '" + v.getThreshold() + "'");
      }
    }
    int holdout = v != null && v.getHoldoutDays() != null ? v.getHoldoutDays() : 60;
    if (holdout < 1) {
      throw bad("spec.validation.holdoutDays must be >= 1");
    }
    int horizon = s.getHorizon() != null ? s.getHorizon() : 28;
    if (horizon < 1) {
      throw bad("spec.horizon must be >= 1");
    }
    String registered =
        s.getMlflow() != null && s.getMlflow().getRegisteredModel() != null
            ? s.getMlflow().getRegisteredModel()
            : pipeline;
    LocalDate asOf = null;
    if (s.getData().getAsOf() != null) {
      if (s.getTask() != Task.FORECAST) {
        throw bad(
            "spec.data.asOf is a date cutoff for forecast data; classification data has no dates");
      }
      try {
        asOf = LocalDate.parse(s.getData().getAsOf());
      } catch (DateTimeParseException e) {
        throw bad("spec.data.asOf must be a date yyyy-MM-dd, got '" + s.getData().getAsOf() + "'");
      }
    }
    EnsembleMethod method =
        s.getEnsemble() != null && s.getEnsemble().getMethod() != null
            ? s.getEnsemble().getMethod()
            : EnsembleMethod.InverseError;
    return new ForecastSettings(
        pipeline,
        registered,
        s.getTask(),
        data,
        test,
        s.getData().getTimeColumn() == null ? "date" : s.getData().getTimeColumn(),
        s.getData().getSeriesColumn(),
        s.getData().getTarget(),
        s.getData().getSeries() == null ? List.of() : List.copyOf(s.getData().getSeries()),
        features,
        List.copyOf(models),
        Boolean.TRUE.equals(s.getGlobal()),
        method,
        horizon,
        holdout,
        metric,
        threshold,
        v == null || v.getMustBeatProduction() == null || v.getMustBeatProduction(),
        v != null && v.getCvFolds() != null ? v.getCvFolds() : 5,
        asOf);
  }

  /**
   * Relative data paths in a spec resolve here: env ALMANAC_DATA_DIR, else /data (the trainer
   * image's mount point).
   */
  static Path dataDir() {
    String env = System.getenv("ALMANAC_DATA_DIR");
    return Path.of(env != null && !env.isBlank() ? env : "/data");
  }

  private static RunFailure bad(String msg) {
    return new RunFailure(ExitCode.BAD_SPEC, msg);
  }

  /** Whether a smaller value of the gate metric is better. */
  public boolean lowerIsBetter() {
    return !(metric.equals("Accuracy") || metric.equals("F1"));
  }
}
