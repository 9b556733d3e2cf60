package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.pipeline.ChampionTie;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipelineSpec;
import dev.almanac.api.v1alpha1.pipeline.Metric;
import dev.almanac.api.v1alpha1.pipeline.Task;
import java.util.Locale;

/**
 * The gates a registered version must pass before it may become Production: the absolute {@code
 * validation.threshold}, then (with {@code mustBeatProduction}) the champion/challenger comparison
 * on the same holdout, both in the direction of {@link Metric#higherIsBetter()}. The champion's
 * value comes from its validation-window model (fitted before its holdout), so it has not seen the
 * challenger's holdout; values within {@link ChampionTie} tie, and a tie keeps production.
 */
public final class PromotionGate {
  public static final String THRESHOLD = "threshold";
  public static final String CHAMPION = "champion";

  /**
   * The champion gate failed on a tie ({@link ChampionTie}): not promoted, and not counted as a
   * failure, since the challenger is no worse.
   */
  public static final String TIE = "tie";

  /**
   * @param gate the gate that failed (threshold, champion) or null when passed
   */
  public record Verdict(boolean passed, String gate, String message) {}

  public static Metric metricOf(ForecastPipelineSpec spec) {
    var v = spec.getValidation();
    if (v != null && v.getMetric() != null) {
      return v.getMetric();
    }
    return spec.getTask() == Task.CLASSIFICATION ? Metric.Accuracy : Metric.MASE;
  }

  public Verdict evaluate(ForecastPipelineSpec spec, TrainerResult result) {
    var metric = metricOf(spec);
    if (result.metric() != null && !result.metric().equalsIgnoreCase(metric.name())) {
      return new Verdict(
          false,
          THRESHOLD,
          "trainer reported " + result.metric() + " but the gate metric is " + metric);
    }
    if (result.value() == null || result.value().isNaN()) {
      return new Verdict(false, THRESHOLD, "trainer reported no holdout " + metric);
    }
    double value = result.value();
    var validation = spec.getValidation();
    var threshold = validation == null ? null : validation.getThreshold();
    if (threshold != null) {
      double limit = Double.parseDouble(threshold);
      boolean ok = metric.higherIsBetter() ? value >= limit : value <= limit;
      if (!ok) {
        return new Verdict(
            false,
            THRESHOLD,
            String.format(
                Locale.ROOT,
                "%s %s %s threshold %s",
                metric,
                format(value),
                metric.higherIsBetter() ? "<" : ">",
                threshold));
      }
    }
    boolean mustBeat =
        validation == null
            || validation.getMustBeatProduction() == null
            || validation.getMustBeatProduction();
    if (mustBeat && result.championVersion() != null && result.championMetric() != null) {
      double champion = result.championMetric();
      if (ChampionTie.isTie(value, champion)) {
        // unchanged data retrains the same model: keep production rather than churn versions
        return new Verdict(
            false,
            TIE,
            versusProduction(metric, value, "ties", result)
                + "; mustBeatProduction keeps production on a tie");
      }
      boolean beats = metric.higherIsBetter() ? value > champion : value < champion;
      if (!beats) {
        return new Verdict(
            false, CHAMPION, versusProduction(metric, value, "does not beat", result));
      }
      return new Verdict(true, null, versusProduction(metric, value, "beats", result));
    }
    return new Verdict(
        true,
        null,
        String.format(
            Locale.ROOT,
            "%s %s passes%s",
            metric,
            format(value),
            threshold == null ? "" : " threshold " + threshold));
  }

  /** "MASE 0.8123 beats production version 3 (0.9011)": the champion comparison, said once. */
  private static String versusProduction(
      Metric metric, double value, String relation, TrainerResult result) {
    return String.format(
        Locale.ROOT,
        "%s %s %s production version %s (%s)",
        metric,
        format(value),
        relation,
        result.championVersion(),
        format(result.championMetric()));
  }

  static String format(double v) {
    return String.format(Locale.ROOT, "%.4g", v);
  }
}
