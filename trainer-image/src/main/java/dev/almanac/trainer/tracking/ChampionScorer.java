package dev.almanac.trainer.tracking;

import dev.almanac.ml.bundle.ModelBundle;
import dev.almanac.ml.data.SymptomTableLoader;
import dev.almanac.ml.metrics.ClassificationMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.OptionalDouble;

/**
 * Scores the current Production classifier on the challenger's test split, so champion and
 * challenger are compared on the same rows (the gate "must beat production"). Forecast champions
 * are scored inside the run ({@code ForecastRun}, same holdout recursion).
 */
final class ChampionScorer {
  private ChampionScorer() {}

  /**
   * The champion's value of {@code metric}, or empty when it shares no series / labels with the
   * challenger.
   */
  static OptionalDouble score(
      ModelBundle challenger,
      ModelBundle champion,
      String metric,
      Path testData,
      String labelColumn) {
    return "forecast".equals(challenger.task())
        ? OptionalDouble.empty()
        : classification(champion, metric, testData, labelColumn);
  }

  static OptionalDouble classification(
      ModelBundle champion, String metric, Path testData, String labelColumn) {
    if (testData == null) {
      return OptionalDouble.empty();
    }
    var table = new SymptomTableLoader(labelColumn).load(testData);
    var labels = champion.metadata().classification().labels();
    var rows = new float[table.rows()][];
    var truth = new ArrayList<Integer>();
    var keep = new ArrayList<float[]>();
    for (int i = 0; i < table.rows(); i++) {
      int label = labels.indexOf(table.labels().get(i));
      if (label < 0) {
        continue; // a disease the champion never learned cannot be scored fairly
      }
      var row = new float[table.x()[i].length];
      for (int j = 0; j < row.length; j++) {
        row[j] = (float) table.x()[i][j];
      }
      keep.add(row);
      truth.add(label);
    }
    if (keep.isEmpty()) {
      return OptionalDouble.empty();
    }
    rows = keep.toArray(new float[0][]);
    var out = champion.onnx().run(rows).get("probabilities");
    int classes = labels.size();
    var proba = new double[rows.length][classes];
    for (int i = 0; i < rows.length; i++) {
      for (int c = 0; c < classes; c++) {
        proba[i][c] = out.data()[i * classes + c];
      }
    }
    var m = ClassificationMetrics.of(truth.stream().mapToInt(Integer::intValue).toArray(), proba);
    return switch (metric) {
      case "LogLoss" -> OptionalDouble.of(m.logLoss());
      case "F1" -> OptionalDouble.of(m.macroF1());
      default -> OptionalDouble.of(m.accuracy());
    };
  }
}
