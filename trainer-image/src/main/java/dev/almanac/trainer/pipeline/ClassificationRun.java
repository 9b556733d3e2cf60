package dev.almanac.trainer.pipeline;

import dev.almanac.ml.bundle.BundleFiles;
import dev.almanac.ml.bundle.BundleMetadata;
import dev.almanac.ml.bundle.BundleWriter;
import dev.almanac.ml.bundle.ClassificationSection;
import dev.almanac.ml.bundle.DataLineage;
import dev.almanac.ml.bundle.InputProfile;
import dev.almanac.ml.data.DataFormatException;
import dev.almanac.ml.data.DiseaseInfo;
import dev.almanac.ml.data.DiseaseInfoLoader;
import dev.almanac.ml.data.SymptomTable;
import dev.almanac.ml.data.SymptomTableLoader;
import dev.almanac.ml.metrics.ClassificationMetrics;
import dev.almanac.ml.onnx.OnnxModel;
import dev.almanac.ml.onnx.TensorSpec;
import dev.almanac.trainer.models.FitOptions;
import dev.almanac.trainer.models.ModelCatalog;
import dev.almanac.trainer.models.TrainedClassifier;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * One classification training run: train every candidate on the training file, score the shipped
 * test split, estimate generalisation by stratified k-fold CV on the de-duplicated training rows
 * (the training file is 94 % duplicates, so CV on raw rows would leak), promote the best by CV.
 */
public final class ClassificationRun {
  private final ForecastSettings s;
  private final RunOptions o;
  private final StageLog log;

  public ClassificationRun(ForecastSettings s, RunOptions o, StageLog log) {
    this.s = s;
    this.o = o;
    this.log = log;
  }

  public RunResult run() {
    SymptomTable train = log.stage("load", () -> load(s.data()));
    if (s.testData() == null) {
      throw new RunFailure(
          ExitCode.BAD_SPEC,
          "spec.data.testPath is required for classification (the shipped test split)");
    }
    SymptomTable test = load(s.testData());
    if (!test.columns().equals(train.columns())) {
      throw new RunFailure(ExitCode.DATA_ERROR, s.testData() + ": columns differ from " + s.data());
    }
    List<String> labels = new ArrayList<>(new TreeSet<>(train.labels()));
    int[] yTrain = encode(train.labels(), labels, s.data());
    int[] yTest = encode(test.labels(), labels, s.testData());
    double[][] xTrain = train.x();
    int c = labels.size();

    Map<String, ClassificationMetrics> cv =
        log.stage("cross-validation", () -> crossValidate(xTrain, yTrain, c));
    Map<String, TrainedClassifier> fitted = new LinkedHashMap<>();
    Map<String, ClassificationMetrics> testMetrics = new LinkedHashMap<>();
    log.stage(
        "train+test",
        () -> {
          for (ModelChoice m : s.models()) {
            long t0 = System.nanoTime();
            TrainedClassifier t = fit(m, xTrain, yTrain, c);
            double fitSeconds = (System.nanoTime() - t0) / 1e9;
            fitted.put(m.name(), t);
            ClassificationMetrics tm = ClassificationMetrics.of(yTest, t.predictProba(test.x()));
            testMetrics.put(m.name(), tm);
            log.info(
                "train+test",
                String.format(
                    "%-20s test accuracy %.4f  F1 %.4f  log loss %.4f  top-3 %.4f | CV accuracy %.4f | fit %.1f s",
                    m.name(),
                    tm.accuracy(),
                    tm.macroF1(),
                    tm.logLoss(),
                    tm.top3Accuracy(),
                    cv.get(m.name()).accuracy(),
                    fitSeconds));
          }
          return null;
        });
    String metric = s.metric();
    boolean lower = s.lowerIsBetter();
    String best = null;
    for (ModelChoice m : s.models()) {
      if (best == null) {
        best = m.name();
        continue;
      }
      double a = cv.get(m.name()).get(metric);
      double b = cv.get(best).get(metric);
      if (lower ? a < b : a > b) {
        best = m.name();
      }
    }
    String promoted = best;
    TrainedClassifier model = fitted.get(promoted);
    Path out = o.output();
    Map<String, DiseaseInfo> diseases =
        DiseaseInfoLoader.load(
            labels, sibling("symptom_Description.csv"), sibling("symptom_precaution.csv"));
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("promoted", promoted);
    metrics.put("test", testMetrics);
    metrics.put("crossValidation", cv);
    metrics.put("cvFolds", s.cvFolds());
    metrics.put("dedupedTrainingRows", dedupe(xTrain, yTrain).size());
    double parity =
        log.stage(
            "bundle+parity",
            () -> {
              int f = train.columns().size();
              byte[] onnx = model.toOnnx(f, c).toByteArray();
              StringBuilder preds = new StringBuilder("row,actual,predicted,probability\n");
              double[][] proba = model.predictProba(test.x());
              for (int i = 0; i < yTest.length; i++) {
                int arg = ClassificationMetrics.argmax(proba[i]);
                preds
                    .append(i)
                    .append(',')
                    .append(csv(labels.get(yTest[i])))
                    .append(',')
                    .append(csv(labels.get(arg)))
                    .append(',')
                    .append(String.format(java.util.Locale.ROOT, "%.6f", proba[i][arg]))
                    .append('\n');
              }
              ClassificationSection section =
                  new ClassificationSection(
                      s.target(),
                      promoted.replaceAll("#.*", ""),
                      labels,
                      train.columns(),
                      diseases);
              BundleMetadata meta =
                  new BundleMetadata(
                      BundleMetadata.formatVersionFor(null),
                      BundleMetadata.CLASSIFICATION,
                      s.registeredModel(),
                      o.runId(),
                      Instant.now().toString(),
                      s.pipeline(),
                      o.runId(),
                      new DataLineage(train.source(), train.sha256(), train.rows()),
                      null,
                      section);
              new BundleWriter(out)
                  .onnx(BundleFiles.MODEL_ONNX, onnx)
                  .metadata(meta)
                  .metrics(metrics)
                  .holdout(List.of())
                  .file("test_predictions.csv", preds.toString())
                  // training symptom frequencies: the server's input drift baseline
                  .file(InputProfile.FILE, InputProfile.of(train.columns(), xTrain).toJson())
                  .signature(
                      List.of(new TensorSpec("features", "float32", List.of(-1L, (long) f))),
                      List.of(
                          new TensorSpec("label", "int64", List.of(-1L)),
                          new TensorSpec("probabilities", "float32", List.of(-1L, (long) c))))
                  .write();
              double worst = 0;
              try (OnnxModel m = OnnxModel.load(out.resolve(BundleFiles.MODEL_ONNX))) {
                float[][] rows = new float[test.rows()][];
                for (int i = 0; i < rows.length; i++) {
                  rows[i] = new float[f];
                  for (int j = 0; j < f; j++) {
                    rows[i][j] = (float) test.x()[i][j];
                  }
                }
                float[] p = m.run(rows).get("probabilities").data();
                for (int i = 0; i < rows.length; i++) {
                  for (int k = 0; k < c; k++) {
                    worst =
                        Math.max(
                            worst,
                            Math.abs(p[i * c + k] - proba[i][k])
                                / Math.max(1.0, Math.abs(proba[i][k])));
                  }
                }
              }
              log.info(
                  "parity",
                  String.format(
                      "max relative difference of probabilities ONNX vs native %.3g", worst));
              return worst;
            });
    metrics.put(
        "parity",
        Map.of("maxRelativeDifference", parity, "tolerance", ForecastRun.PARITY_TOLERANCE));
    try {
      java.nio.file.Files.writeString(
          out.resolve(BundleFiles.METRICS),
          dev.almanac.ml.bundle.BundleJson.mapper().writeValueAsString(metrics));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    double value = testMetrics.get(promoted).get(metric);
    Boolean gate =
        s.threshold() == null ? null : (lower ? value <= s.threshold() : value >= s.threshold());
    boolean parityOk = parity <= ForecastRun.PARITY_TOLERANCE;
    ExitCode code =
        !parityOk || Boolean.FALSE.equals(gate) ? ExitCode.GATE_OR_PARITY_FAILED : ExitCode.OK;
    String msg =
        !parityOk
            ? String.format("ONNX parity failed: max relative difference %.3g", parity)
            : Boolean.FALSE.equals(gate)
                ? String.format(
                    "gate failed: test %s %.4f vs threshold %s", metric, value, s.threshold())
                : String.format(
                    "promoted %s: test %s %.4f (CV %.4f)",
                    promoted, metric, value, cv.get(promoted).get(metric));
    log.info("result", msg);
    Map<String, Double> summary = new LinkedHashMap<>();
    testMetrics.forEach((k, v) -> summary.put(k, v.get(metric)));
    return new RunResult(
        code == ExitCode.OK ? "Succeeded" : "Failed",
        code.code(),
        "classification",
        s.pipeline(),
        s.registeredModel(),
        o.runId(),
        out.toAbsolutePath().toString(),
        promoted,
        metric,
        value,
        s.threshold(),
        gate,
        parity,
        null,
        null,
        summary,
        train.sha256(),
        null,
        log.seconds(),
        msg);
  }

  private static String csv(String v) {
    return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
  }

  private FitOptions fitOptions(ModelChoice m) {
    return new FitOptions(o.seed(), o.threads(), Map.of());
  }

  private TrainedClassifier fit(ModelChoice m, double[][] x, int[] y, int c) {
    try {
      return ModelCatalog.classifier(m.type(), m.params()).fit(x, y, c, fitOptions(m));
    } catch (IllegalArgumentException e) {
      throw new RunFailure(ExitCode.BAD_SPEC, "spec.models " + m.name() + ": " + e.getMessage(), e);
    }
  }

  private Path sibling(String name) {
    Path dir = s.data().toAbsolutePath().getParent();
    return dir == null ? Path.of(name) : dir.resolve(name);
  }

  private SymptomTable load(Path p) {
    try {
      SymptomTable t = new SymptomTableLoader(s.target()).load(p);
      log.info(
          "load",
          p + ": " + t.rows() + " rows, " + t.columns().size() + " features, sha256 " + t.sha256());
      return t;
    } catch (DataFormatException e) {
      throw new RunFailure(ExitCode.DATA_ERROR, e.getMessage(), e);
    }
  }

  private static int[] encode(List<String> rowLabels, List<String> labels, Path file) {
    int[] y = new int[rowLabels.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels.indexOf(rowLabels.get(i));
      if (y[i] < 0) {
        throw new RunFailure(
            ExitCode.DATA_ERROR,
            file + ": label '" + rowLabels.get(i) + "' does not occur in the training data");
      }
    }
    return y;
  }

  /** Indices of the first occurrence of every distinct (row, label). */
  static List<Integer> dedupe(double[][] x, int[] y) {
    Set<String> seen = new LinkedHashSet<>();
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      if (seen.add(Arrays.toString(x[i]) + "|" + y[i])) {
        keep.add(i);
      }
    }
    return keep;
  }

  /**
   * Stratified k-fold on the distinct rows: each class's rows are shuffled (seeded) and dealt
   * round-robin to folds.
   */
  private Map<String, ClassificationMetrics> crossValidate(double[][] x, int[] y, int c) {
    List<Integer> keep = dedupe(x, y);
    int k = s.cvFolds();
    int[] fold = new int[keep.size()];
    Random rnd = new Random(o.seed());
    for (int cls = 0; cls < c; cls++) {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < keep.size(); i++) {
        if (y[keep.get(i)] == cls) {
          members.add(i);
        }
      }
      java.util.Collections.shuffle(members, rnd);
      for (int j = 0; j < members.size(); j++) {
        fold[members.get(j)] = j % k;
      }
    }
    Map<String, ClassificationMetrics> out = new LinkedHashMap<>();
    for (ModelChoice m : s.models()) {
      int[] truth = new int[keep.size()];
      double[][] proba = new double[keep.size()][];
      for (int f = 0; f < k; f++) {
        List<double[]> trX = new ArrayList<>();
        List<Integer> trY = new ArrayList<>();
        List<Integer> te = new ArrayList<>();
        for (int i = 0; i < keep.size(); i++) {
          if (fold[i] == f) {
            te.add(i);
          } else {
            trX.add(x[keep.get(i)]);
            trY.add(y[keep.get(i)]);
          }
        }
        if (te.isEmpty()) {
          continue;
        }
        TrainedClassifier t =
            fit(
                m,
                trX.toArray(new double[0][]),
                trY.stream().mapToInt(Integer::intValue).toArray(),
                c);
        for (int i : te) {
          truth[i] = y[keep.get(i)];
          proba[i] = t.predictProba(x[keep.get(i)]);
        }
      }
      out.put(m.name(), ClassificationMetrics.of(truth, proba));
    }
    return out;
  }
}
