package dev.almanac.trainer.pipeline;

import dev.almanac.api.v1alpha1.pipeline.ChampionTie;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gates of a forecast run on its ensemble's holdout score: the absolute threshold, the
 * production version's score on the same holdout (with {@code mustBeatProduction}; a {@link
 * ChampionTie} keeps production) and the ONNX parity tolerance. One place for a whole run and for
 * the merge of a sharded one.
 *
 * @param value the ensemble's gate metric
 * @param summary every model's gate metric, by model
 * @param gate whether the threshold passed; null without one
 * @param championValue the production version's score; null without one
 * @param beatsChampion null without a production score
 */
record ForecastVerdict(
    double value,
    Map<String, Double> summary,
    Boolean gate,
    Double championValue,
    boolean tie,
    Boolean beatsChampion,
    double parity,
    boolean parityOk,
    boolean championGate) {

  /**
   * @param overall the metrics' {@code overall} map: model → metric key → mean over the series
   */
  static ForecastVerdict of(
      ForecastSettings s,
      Map<String, Map<String, Double>> overall,
      Double championValue,
      double parity) {
    String key = ForecastRun.metricKey(s.metric());
    double value = overall.get(ForecastGroup.ENSEMBLE).get(key);
    Map<String, Double> summary = new LinkedHashMap<>();
    overall.forEach((m, v) -> summary.put(m, v.get(key)));
    Boolean gate =
        s.threshold() == null
            ? null
            : (s.lowerIsBetter() ? value <= s.threshold() : value >= s.threshold());
    boolean tie = championValue != null && ChampionTie.isTie(value, championValue);
    Boolean beats =
        championValue == null
            ? null
            : !tie && (s.lowerIsBetter() ? value < championValue : value > championValue);
    return new ForecastVerdict(
        value,
        summary,
        gate,
        championValue,
        tie,
        beats,
        parity,
        parity <= ForecastRun.PARITY_TOLERANCE,
        !(s.mustBeatProduction() && Boolean.FALSE.equals(beats)));
  }

  ExitCode exitCode() {
    return !parityOk || Boolean.FALSE.equals(gate) || !championGate
        ? ExitCode.GATE_OR_PARITY_FAILED
        : ExitCode.OK;
  }

  /** The run's result: succeeded iff every gate passed. */
  RunResult result(
      ForecastSettings s,
      RunOptions o,
      Path bundle,
      String dataSha256,
      int series,
      Map<String, Double> seconds,
      String message) {
    ExitCode code = exitCode();
    return new RunResult(
        code == ExitCode.OK ? "Succeeded" : "Failed",
        code.code(),
        "forecast",
        s.pipeline(),
        s.registeredModel(),
        o.runId(),
        bundle.toAbsolutePath().toString(),
        ForecastGroup.ENSEMBLE,
        s.metric(),
        value,
        s.threshold(),
        gate,
        parity,
        championValue,
        beatsChampion,
        summary,
        dataSha256,
        series,
        seconds,
        message);
  }
}
