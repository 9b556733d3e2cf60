package dev.almanac.trainer.tracking;

import dev.almanac.ml.bundle.HoldoutPrediction;
import dev.almanac.ml.bundle.ModelBundle;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * PNG charts of each series for the MLflow run: the last 120 days of history, the holdout actuals
 * against the promoted model's recursive holdout forecast, and the forecast beyond the data. Drawn
 * with Java2D (headless) so the trainer needs no plotting library.
 */
final class HoldoutCharts {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 360;
  private static final int PAD = 50;

  private HoldoutCharts() {}

  static Optional<Path> render(ModelBundle bundle, Path dir) throws IOException {
    if (!"forecast".equals(bundle.task())) {
      return Optional.empty();
    }
    System.setProperty("java.awt.headless", "true");
    var promoted = String.valueOf(bundle.metrics().getOrDefault("promoted", "ensemble"));
    var holdout = new LinkedHashMap<String, List<HoldoutPrediction>>();
    for (var p : bundle.holdoutPredictions()) {
      if (p.model().equals(promoted)) {
        holdout.computeIfAbsent(p.series(), k -> new ArrayList<>()).add(p);
      }
    }
    for (var series : bundle.series()) {
      var history = bundle.history(series);
      var forecast = bundle.forecast(series, Math.max(1, bundle.metadata().forecast().horizon()));
      draw(
          series,
          history.dates(),
          history.values(),
          holdout.getOrDefault(series, List.of()),
          forecast.dates(),
          forecast.values(),
          dir.resolve(series + ".png"));
    }
    return Optional.of(dir);
  }

  private static void draw(
      String series,
      List<LocalDate> dates,
      double[] values,
      List<HoldoutPrediction> holdout,
      List<LocalDate> futureDates,
      double[] future,
      Path file)
      throws IOException {
    int from = Math.max(0, dates.size() - 120);
    LocalDate start = dates.get(from);
    LocalDate end =
        futureDates.isEmpty()
            ? dates.get(dates.size() - 1)
            : futureDates.get(futureDates.size() - 1);
    double max = 1;
    for (int i = from; i < values.length; i++) {
      max = Math.max(max, values[i]);
    }
    for (var p : holdout) {
      max = Math.max(max, Math.max(p.actual(), p.forecast()));
    }
    for (var v : future) {
      max = Math.max(max, v);
    }
    var image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    g.setColor(Color.LIGHT_GRAY);
    g.drawRect(PAD, PAD / 2, WIDTH - 2 * PAD, HEIGHT - PAD - PAD / 2);
    long span = Math.max(1, end.toEpochDay() - start.toEpochDay());
    final double top = max;
    java.util.function.ToIntFunction<LocalDate> x =
        d -> PAD + (int) ((d.toEpochDay() - start.toEpochDay()) * (WIDTH - 2 * PAD) / span);
    java.util.function.DoubleToIntFunction y =
        v -> HEIGHT - PAD - (int) (v / top * (HEIGHT - PAD - PAD / 2));
    g.setStroke(new BasicStroke(1.5f));
    g.setColor(new Color(90, 90, 90));
    for (int i = from + 1; i < values.length; i++) {
      g.drawLine(
          x.applyAsInt(dates.get(i - 1)),
          y.applyAsInt(values[i - 1]),
          x.applyAsInt(dates.get(i)),
          y.applyAsInt(values[i]));
    }
    g.setColor(new Color(31, 119, 180));
    for (int i = 1; i < holdout.size(); i++) {
      var a = holdout.get(i - 1);
      var b = holdout.get(i);
      g.drawLine(
          x.applyAsInt(a.date()),
          y.applyAsInt(a.forecast()),
          x.applyAsInt(b.date()),
          y.applyAsInt(b.forecast()));
    }
    g.setColor(new Color(214, 39, 40));
    for (int i = 1; i < future.length; i++) {
      g.drawLine(
          x.applyAsInt(futureDates.get(i - 1)),
          y.applyAsInt(future[i - 1]),
          x.applyAsInt(futureDates.get(i)),
          y.applyAsInt(future[i]));
    }
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    g.drawString(
        series
            + ": history (grey), holdout forecast (blue), forecast (red); max "
            + Math.round(max),
        PAD,
        18);
    g.drawString(start.toString(), PAD, HEIGHT - PAD + 18);
    g.drawString(end.toString(), WIDTH - PAD - 80, HEIGHT - PAD + 18);
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }
}
