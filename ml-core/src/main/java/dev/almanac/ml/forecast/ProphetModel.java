package dev.almanac.ml.forecast;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealVector;

/**
 * A Prophet-style additive model, y(t) = trend(t) + weekly(t) + yearly(t) + events(t): a
 * piecewise-linear trend k·t + m + Σ δ_j·(t − s_j)₊ with changepoints s_j spread over the first
 * {@code changepointRange} of the history (Prophet's placement), Fourier seasonalities on the
 * calendar day (weekly period 7, yearly 365.25, both in days since 1970-01-01 as Prophet does) and
 * one indicator per named event. Time is scaled to [0, 1] over the history and y by its largest
 * absolute value, as in Prophet, so its default prior scales apply.
 *
 * <p>Fitted by MAP with Gaussian priors: δ ~ N(0, changepointPriorScale²) (Prophet uses a Laplace
 * prior; the Gaussian one keeps MAP a ridge problem with an exact solution, so the fit is
 * deterministic and needs no iterative optimiser), seasonal and event coefficients ~ N(0,
 * seasonalityPriorScale²), k, m ~ N(0, 5²). For a fixed noise scale σ the MAP is the least-squares
 * solution of the design stacked on prior rows (σ/τ_j)·e_j, solved by commons-math3's QR
 * decomposition; σ is then re-estimated from the residuals (σ² = RSS/n, its joint MAP under a flat
 * prior) and the two steps alternate until σ settles.
 *
 * <p>The record is what a model bundle stores: the forecast is a function of the date only, so a
 * server evaluates it for any day after the history without refitting.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProphetModel(
    LocalDate origin,
    double timeScale,
    double yScale,
    double k,
    double m,
    double[] changepoints,
    double[] deltas,
    double[] weekly,
    double[] yearly,
    List<Event> events) {
  static final double WEEK = 7.0;
  static final double YEAR = 365.25;
  private static final double TREND_PRIOR_SCALE = 5.0;
  private static final int SIGMA_ITERATIONS = 20;

  /** A named event (holiday) with its days and fitted additive effect (scaled units). */
  public record Event(String name, List<LocalDate> dates, double effect) {
    public Event {
      dates = List.copyOf(dates);
    }
  }

  /**
   * Fit settings; the defaults are Prophet's.
   *
   * @param weeklyOrder Fourier order of the weekly season (0 = none; Prophet: 3 with ≥ 2 weeks of
   *     data)
   * @param yearlyOrder Fourier order of the yearly season (0 = none; -1 = Prophet's auto rule: 10
   *     with ≥ 2 years of data)
   * @param events name → dates; each name gets one coefficient shared by its dates
   */
  public record Options(
      int changepoints,
      double changepointRange,
      double changepointPriorScale,
      double seasonalityPriorScale,
      int weeklyOrder,
      int yearlyOrder,
      List<Event> events) {
    public static final int AUTO = -1;

    public Options {
      if (changepoints < 0) {
        throw new IllegalArgumentException("changepoints must be >= 0, got " + changepoints);
      }
      if (!(changepointRange > 0 && changepointRange <= 1)) {
        throw new IllegalArgumentException(
            "changepointRange must be in (0, 1], got " + changepointRange);
      }
      if (!(changepointPriorScale > 0) || !(seasonalityPriorScale > 0)) {
        throw new IllegalArgumentException(
            "prior scales must be > 0, got changepointPriorScale="
                + changepointPriorScale
                + ", seasonalityPriorScale="
                + seasonalityPriorScale);
      }
      if (weeklyOrder < AUTO || yearlyOrder < AUTO) {
        throw new IllegalArgumentException(
            "Fourier orders must be >= 0 (or -1 = auto), got weekly="
                + weeklyOrder
                + ", yearly="
                + yearlyOrder);
      }
      events = events == null ? List.of() : List.copyOf(events);
    }

    public static Options defaults() {
      return new Options(25, 0.8, 0.05, 10.0, AUTO, AUTO, List.of());
    }

    /** Spec parameter names (camelCase forms of Prophet's arguments). */
    public static final Set<String> PARAMS =
        Set.of(
            "changepoints",
            "changepointRange",
            "changepointPriorScale",
            "seasonalityPriorScale",
            "weeklyOrder",
            "yearlyOrder",
            "events");

    /**
     * Options from a pipeline spec's string params; {@code events} is a comma-separated list of
     * {@code name=YYYY-MM-DD} (or a bare date, its own event), a name repeated for each of its
     * days.
     *
     * @throws IllegalArgumentException naming an unknown parameter or a malformed value
     */
    public static Options parse(Map<String, String> params) {
      Set<String> unknown = new TreeSet<>(params.keySet());
      unknown.removeAll(PARAMS);
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException(
            "unknown Prophet parameter(s) " + unknown + "; supported: " + new TreeSet<>(PARAMS));
      }
      Options d = defaults();
      Map<String, List<LocalDate>> events = new LinkedHashMap<>();
      String ev = params.getOrDefault("events", "");
      for (String item : ev.split(",")) {
        if (item.isBlank()) {
          continue;
        }
        int eq = item.indexOf('=');
        String name = eq < 0 ? item.trim() : item.substring(0, eq).trim();
        String date = eq < 0 ? item.trim() : item.substring(eq + 1).trim();
        try {
          events.computeIfAbsent(name, x -> new ArrayList<>()).add(LocalDate.parse(date));
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException(
              "Prophet events: '" + item.trim() + "' is not name=YYYY-MM-DD or YYYY-MM-DD");
        }
      }
      List<Event> list = new ArrayList<>();
      events.forEach((name, dates) -> list.add(new Event(name, dates, 0)));
      return new Options(
          integer(params, "changepoints", d.changepoints()),
          number(params, "changepointRange", d.changepointRange()),
          number(params, "changepointPriorScale", d.changepointPriorScale()),
          number(params, "seasonalityPriorScale", d.seasonalityPriorScale()),
          integer(params, "weeklyOrder", d.weeklyOrder()),
          integer(params, "yearlyOrder", d.yearlyOrder()),
          list);
    }

    private static int integer(Map<String, String> p, String key, int dflt) {
      String v = p.get(key);
      try {
        return v == null ? dflt : Integer.parseInt(v.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "Prophet parameter '" + key + "' must be an integer, got '" + v + "'");
      }
    }

    private static double number(Map<String, String> p, String key, double dflt) {
      String v = p.get(key);
      try {
        return v == null ? dflt : Double.parseDouble(v.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "Prophet parameter '" + key + "' must be a number, got '" + v + "'");
      }
    }
  }

  /** Fits y (one value per day from {@code firstDate}) with Prophet's default settings. */
  public static ProphetModel fit(double[] y, LocalDate firstDate) {
    return fit(y, firstDate, Options.defaults());
  }

  /**
   * @throws IllegalArgumentException for fewer than 3 days
   */
  public static ProphetModel fit(double[] y, LocalDate firstDate, Options o) {
    int n = y.length;
    if (n < 3) {
      throw new IllegalArgumentException("Prophet needs at least 3 days of history, got " + n);
    }
    int weeklyOrder = o.weeklyOrder() == Options.AUTO ? (n >= 14 ? 3 : 0) : o.weeklyOrder();
    int yearlyOrder = o.yearlyOrder() == Options.AUTO ? (n >= 730 ? 10 : 0) : o.yearlyOrder();
    double timeScale = n - 1.0;
    double yScale = 0;
    for (double v : y) {
      yScale = Math.max(yScale, Math.abs(v));
    }
    yScale = yScale == 0 ? 1.0 : yScale;
    double[] cps = changepoints(n, o.changepoints(), o.changepointRange());

    ProphetModel layout =
        new ProphetModel(
            firstDate,
            timeScale,
            yScale,
            0,
            0,
            cps,
            new double[cps.length],
            new double[2 * weeklyOrder],
            new double[2 * yearlyOrder],
            o.events());
    int p = layout.width();
    double[][] design = new double[n + p][];
    double[] target = new double[n + p];
    for (int i = 0; i < n; i++) {
      design[i] = layout.row(firstDate.plusDays(i));
      target[i] = y[i] / yScale;
    }
    double[] priorScale = new double[p];
    priorScale[0] = TREND_PRIOR_SCALE;
    priorScale[1] = TREND_PRIOR_SCALE;
    for (int j = 2; j < p; j++) {
      priorScale[j] = j < 2 + cps.length ? o.changepointPriorScale() : o.seasonalityPriorScale();
    }
    double sigma = Math.max(sd(target, n), 1e-3);
    double[] beta = null;
    for (int it = 0; it < SIGMA_ITERATIONS; it++) {
      for (int j = 0; j < p; j++) {
        design[n + j] = new double[p];
        design[n + j][j] = sigma / priorScale[j];
      }
      RealVector solution =
          new QRDecomposition(new Array2DRowRealMatrix(design, false))
              .getSolver()
              .solve(new ArrayRealVector(target, false));
      beta = solution.toArray();
      double rss = 0;
      for (int i = 0; i < n; i++) {
        double r = target[i] - dot(design[i], beta);
        rss += r * r;
      }
      double next = Math.max(Math.sqrt(rss / n), 1e-6);
      boolean settled = Math.abs(next - sigma) <= 1e-6 * sigma;
      sigma = next;
      if (settled) {
        break;
      }
    }
    return layout.withCoefficients(beta);
  }

  /**
   * Prophet's placement: {@code count} points at evenly spaced indices of the first {@code range}
   * of the history, in scaled time.
   */
  static double[] changepoints(int n, int count, double range) {
    int histSize = (int) Math.floor(n * range);
    if (count == 0 || histSize < 2) {
      return new double[0];
    }
    int c = Math.min(count, histSize - 1);
    double[] out = new double[c];
    for (int j = 1; j <= c; j++) {
      long idx = Math.round((double) j * (histSize - 1) / c);
      out[j - 1] = idx / (n - 1.0);
    }
    return out;
  }

  /** Forecast path for the {@code horizon} days after {@code lastDate}, on the scale of y. */
  public double[] forecast(LocalDate lastDate, int horizon) {
    double[] out = new double[horizon];
    for (int h = 0; h < horizon; h++) {
      out[h] = predict(lastDate.plusDays(h + 1L));
    }
    return out;
  }

  /** The fitted value of one day, on the scale of y. */
  public double predict(LocalDate day) {
    return yScale * dot(row(day), coefficients());
  }

  /** Trend only (no season, no events), on the scale of y: for checks and charts. */
  public double trend(LocalDate day) {
    double[] r = row(day);
    double s = m + k * r[1];
    for (int j = 0; j < deltas.length; j++) {
      s += deltas[j] * r[2 + j];
    }
    return yScale * s;
  }

  private int width() {
    return 2 + changepoints.length + weekly.length + yearly.length + events.size();
  }

  /** Design row: 1, t, (t − s_j)₊, weekly sin/cos, yearly sin/cos, event indicators. */
  private double[] row(LocalDate day) {
    double[] r = new double[width()];
    double t = (day.toEpochDay() - origin.toEpochDay()) / timeScale;
    r[0] = 1;
    r[1] = t;
    int c = 2;
    for (double s : changepoints) {
      r[c++] = Math.max(0, t - s);
    }
    double epochDay = day.toEpochDay();
    c = fourier(r, c, epochDay, WEEK, weekly.length / 2);
    c = fourier(r, c, epochDay, YEAR, yearly.length / 2);
    for (Event e : events) {
      r[c++] = e.dates().contains(day) ? 1 : 0;
    }
    return r;
  }

  private static int fourier(double[] r, int c, double epochDay, double period, int order) {
    for (int f = 1; f <= order; f++) {
      double a = 2 * Math.PI * f * epochDay / period;
      r[c++] = Math.sin(a);
      r[c++] = Math.cos(a);
    }
    return c;
  }

  private double[] coefficients() {
    double[] b = new double[width()];
    b[0] = m;
    b[1] = k;
    int c = 2;
    for (double d : deltas) {
      b[c++] = d;
    }
    for (double w : weekly) {
      b[c++] = w;
    }
    for (double w : yearly) {
      b[c++] = w;
    }
    for (Event e : events) {
      b[c++] = e.effect();
    }
    return b;
  }

  private ProphetModel withCoefficients(double[] b) {
    int c = 2;
    double[] d = new double[changepoints.length];
    for (int j = 0; j < d.length; j++) {
      d[j] = b[c++];
    }
    double[] w = new double[weekly.length];
    for (int j = 0; j < w.length; j++) {
      w[j] = b[c++];
    }
    double[] yr = new double[yearly.length];
    for (int j = 0; j < yr.length; j++) {
      yr[j] = b[c++];
    }
    List<Event> ev = new ArrayList<>();
    for (Event e : events) {
      ev.add(new Event(e.name(), e.dates(), b[c++]));
    }
    return new ProphetModel(origin, timeScale, yScale, b[1], b[0], changepoints, d, w, yr, ev);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double sd(double[] v, int n) {
    double mean = 0;
    for (int i = 0; i < n; i++) {
      mean += v[i];
    }
    mean /= n;
    double ss = 0;
    for (int i = 0; i < n; i++) {
      ss += (v[i] - mean) * (v[i] - mean);
    }
    return Math.sqrt(ss / n);
  }
}
