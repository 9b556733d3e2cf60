package dev.almanac.trainer.pipeline;

import dev.almanac.ml.clean.HampelWinsorizer;
import dev.almanac.ml.clean.RegularSeries;
import dev.almanac.ml.clean.SeriesScaler;
import dev.almanac.ml.forecast.ForecastInput;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * One series cut at a cutoff: the first {@code n} days, winsorised (statistics from those days
 * only), scaled into model space with a scaler fitted on those days only. Nothing after the cutoff
 * is read.
 */
record PreparedSeries(
    String id,
    LocalDate start,
    double[] cases,
    double[] z,
    SeriesScaler scaler,
    int winsorized,
    double[] extra) {

  static PreparedSeries cut(RegularSeries base, int n, boolean normalise, double[] extra) {
    double[] seg = Arrays.copyOf(base.values(), n);
    HampelWinsorizer.Result w = HampelWinsorizer.winsorizeUpper(seg);
    SeriesScaler sc = normalise ? SeriesScaler.fit(w.values()) : SeriesScaler.identity();
    return new PreparedSeries(
        base.id(), base.start(), w.values(), sc.forward(w.values()), sc, w.clipped(), extra);
  }

  LocalDate lastDate() {
    return start.plusDays(cases.length - 1L);
  }

  double floor() {
    return scaler.forward(0.0);
  }

  ForecastInput input(double[] offsets) {
    return new ForecastInput(z, lastDate(), extra, floor(), offsets);
  }

  /** Model space → cases, floored at 0. */
  double[] toCases(double[] zs) {
    double[] out = new double[zs.length];
    for (int i = 0; i < zs.length; i++) {
      out[i] = Math.max(0.0, scaler.inverse(zs[i]));
    }
    return out;
  }
}
