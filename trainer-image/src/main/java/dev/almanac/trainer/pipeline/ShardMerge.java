package dev.almanac.trainer.pipeline;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.almanac.ml.bundle.BundleFiles;
import dev.almanac.ml.bundle.BundleJson;
import dev.almanac.ml.bundle.BundleMetadata;
import dev.almanac.ml.bundle.BundleWriter;
import dev.almanac.ml.bundle.ForecastSection;
import dev.almanac.ml.bundle.HoldoutPrediction;
import dev.almanac.ml.bundle.ModelBundle;
import dev.almanac.ml.bundle.SeriesEntry;
import dev.almanac.ml.metrics.ForecastMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The merge step of a sharded forecast run: the partial bundles the shards of one Indexed Job left
 * (each a complete bundle of its slice of series, with its validation model and its champion
 * scores) become one bundle whose metrics cover every series; the caller registers it as the run's
 * one version. Nothing is refitted: per-series models are independent of each other.
 */
public final class ShardMerge {
  private static final ObjectMapper JSON = BundleJson.mapper();

  private final ForecastSettings s;
  private final RunOptions o;
  private final StageLog log;

  public ShardMerge(ForecastSettings s, RunOptions o, StageLog log) {
    this.s = s;
    this.o = o;
    this.log = log;
  }

  /**
   * Merges {@code partials} (shard 0 first) into {@code o.output()}.
   *
   * @throws RunFailure when a partial is missing, not a forecast bundle, global, or repeats a
   *     series another shard trained
   */
  public RunResult run(List<Path> partials) {
    List<ModelBundle> bundles = log.stage("load shards", () -> load(partials));
    try {
      Map<String, Object> metrics = new LinkedHashMap<>();
      log.stage("merge", () -> merge(bundles, o.output(), metrics));
      log.stage(
          "merge validation", () -> mergeValidation(partials, ValidationBundle.dir(o.output())));
      return result(bundles, metrics);
    } finally {
      bundles.forEach(ModelBundle::close);
    }
  }

  private List<ModelBundle> load(List<Path> partials) {
    List<ModelBundle> out = new ArrayList<>();
    for (int i = 0; i < partials.size(); i++) {
      try {
        ModelBundle b = ModelBundle.load(partials.get(i));
        if (!BundleMetadata.FORECAST.equals(b.task()) || b.metadata().forecast().global()) {
          throw new RunFailure(
              ExitCode.BAD_SPEC, "shard " + i + " is not a per-series forecast bundle");
        }
        out.add(b);
      } catch (IllegalArgumentException e) {
        out.forEach(ModelBundle::close);
        throw new RunFailure(ExitCode.INTERNAL, "shard " + i + ": " + e.getMessage(), e);
      }
    }
    log.info("merge", out.size() + " shards");
    return out;
  }

  private static Map<String, SeriesEntry> entries(
      List<ForecastSection> sections, BundleWriter w, List<Path> dirs) {
    Map<String, SeriesEntry> entries = new LinkedHashMap<>();
    for (int i = 0; i < sections.size(); i++) {
      for (var e : sections.get(i).series().entrySet()) {
        if (entries.put(e.getKey(), e.getValue()) != null) {
          throw new RunFailure(
              ExitCode.INTERNAL, "series " + e.getKey() + " was trained by two shards");
        }
        try {
          w.onnx(e.getValue().onnx(), Files.readAllBytes(dirs.get(i).resolve(e.getValue().onnx())));
        } catch (IOException ex) {
          throw new UncheckedIOException(ex);
        }
      }
    }
    return entries;
  }

  private static ForecastSection withSeries(ForecastSection f, Map<String, SeriesEntry> series) {
    return new ForecastSection(
        f.timeColumn(),
        f.seriesColumn(),
        f.target(),
        f.features(),
        f.featureNames(),
        f.global(),
        f.horizon(),
        f.promotedModel(),
        series);
  }

  private BundleMetadata metadata(BundleMetadata first, ForecastSection section) {
    return new BundleMetadata(
        BundleMetadata.formatVersionFor(section),
        BundleMetadata.FORECAST,
        first.name(),
        o.runId(),
        Instant.now().toString(),
        first.pipeline(),
        o.runId(),
        first.data(),
        section,
        null);
  }

  private void merge(List<ModelBundle> bundles, Path out, Map<String, Object> metrics) {
    BundleWriter w = new BundleWriter(out);
    var sections = bundles.stream().map(b -> b.metadata().forecast()).toList();
    var dirs = bundles.stream().map(ModelBundle::dir).toList();
    ForecastSection section = withSeries(sections.get(0), entries(sections, w, dirs));
    List<HoldoutPrediction> holdout = new ArrayList<>();
    bundles.forEach(b -> holdout.addAll(b.holdoutPredictions()));
    metrics.putAll(metrics(bundles));
    w.metadata(metadata(bundles.get(0).metadata(), section))
        .metrics(metrics)
        .holdout(holdout)
        .signature(bundles.get(0).inputs(), bundles.get(0).outputs())
        .write();
    log.info("merge", section.series().size() + " series in one bundle");
  }

  private void mergeValidation(List<Path> partials, Path out) {
    List<Path> dirs = partials.stream().map(ValidationBundle::dir).toList();
    if (!dirs.stream().allMatch(d -> Files.isRegularFile(d.resolve(BundleFiles.METADATA)))) {
      log.info("merge", "a shard has no validation model: the merged bundle has none either");
      return;
    }
    List<ModelBundle> bundles = new ArrayList<>();
    try {
      dirs.forEach(d -> bundles.add(ModelBundle.load(d)));
      BundleWriter w = new BundleWriter(out);
      var sections = bundles.stream().map(b -> b.metadata().forecast()).toList();
      ForecastSection section = withSeries(sections.get(0), entries(sections, w, dirs));
      w.metadata(metadata(bundles.get(0).metadata(), section))
          .metrics(bundles.get(0).metrics())
          .signature(bundles.get(0).inputs(), bundles.get(0).outputs())
          .write();
    } finally {
      bundles.forEach(ModelBundle::close);
    }
  }

  /** Shard metrics.json maps joined; the overall means recomputed over every series. */
  private Map<String, Object> metrics(List<ModelBundle> bundles) {
    Map<String, Map<String, ForecastMetrics>> perSeries = new LinkedHashMap<>();
    Map<String, ForecastMetrics> championPerSeries = new LinkedHashMap<>();
    Map<String, Object> weights = new LinkedHashMap<>();
    Map<String, Object> validationMae = new LinkedHashMap<>();
    Map<String, Object> cleaning = new LinkedHashMap<>();
    Map<String, Object> champion = null;
    double parity = 0;
    long parityRows = 0;
    for (ModelBundle b : bundles) {
      Map<String, Object> m = b.metrics();
      perSeries.putAll(
          JSON.convertValue(
              m.get("perSeries"),
              new TypeReference<Map<String, Map<String, ForecastMetrics>>>() {}));
      weights.putAll(map(m.get("weights")));
      validationMae.putAll(map(m.get("validationMae")));
      cleaning.putAll(map(m.get("cleaning")));
      Map<String, Object> p = map(m.get("parity"));
      parity =
          Math.max(parity, ((Number) p.getOrDefault("maxRelativeDifference", 0)).doubleValue());
      parityRows += ((Number) p.getOrDefault("rows", 0)).longValue();
      if (m.get("champion") != null) {
        champion = map(m.get("champion"));
        championPerSeries.putAll(
            JSON.convertValue(
                champion.get("perSeries"), new TypeReference<Map<String, ForecastMetrics>>() {}));
      }
    }
    Map<String, Object> first = bundles.get(0).metrics();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("promoted", first.get("promoted"));
    out.put("ensembleMethod", first.get("ensembleMethod"));
    out.put("holdoutDays", first.get("holdoutDays"));
    out.put("overall", ForecastRun.overall(perSeries));
    out.put("perSeries", perSeries);
    out.put("weights", weights);
    out.put("validationMae", validationMae);
    out.put("cleaning", cleaning);
    out.put("shards", bundles.size());
    if (champion != null && !championPerSeries.isEmpty()) {
      double value =
          championPerSeries.values().stream()
              .mapToDouble(f -> f.get(s.metric()))
              .average()
              .orElse(Double.NaN);
      Map<String, Object> c = new LinkedHashMap<>(champion);
      c.put(ForecastRun.metricKey(s.metric()), value);
      c.put("perSeries", championPerSeries);
      out.put("champion", c);
    }
    out.put(
        "parity",
        Map.of(
            "maxRelativeDifference",
            parity,
            "tolerance",
            ForecastRun.PARITY_TOLERANCE,
            "rows",
            parityRows));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o == null ? Map.of() : (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private RunResult result(List<ModelBundle> bundles, Map<String, Object> metrics) {
    var overall = (Map<String, Map<String, Double>>) metrics.get("overall");
    String key = ForecastRun.metricKey(s.metric());
    Double championValue =
        metrics.get("champion") == null
            ? null
            : ((Number) map(metrics.get("champion")).get(key)).doubleValue();
    double parity =
        ((Number) map(metrics.get("parity")).get("maxRelativeDifference")).doubleValue();
    ForecastVerdict verdict = ForecastVerdict.of(s, overall, championValue, parity);
    int series = ((Map<?, ?>) metrics.get("perSeries")).size();
    String msg =
        String.format(
            "merged %d shards, %d series; ensemble %s %.4f%s",
            bundles.size(),
            series,
            s.metric(),
            verdict.value(),
            championValue == null ? "" : String.format(", production %.4f", championValue));
    log.info("result", msg);
    var data = bundles.get(0).metadata().data();
    return verdict.result(
        s, o, o.output(), data == null ? null : data.sha256(), series, log.seconds(), msg);
  }
}
