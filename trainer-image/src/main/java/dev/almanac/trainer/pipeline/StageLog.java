package dev.almanac.trainer.pipeline;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One progress line per stage ("[stage] message (1.23 s)") and the stage timings for result.json.
 */
public final class StageLog {
  private final PrintStream out;
  private final Map<String, Double> seconds = new LinkedHashMap<>();
  private final long start = System.nanoTime();

  public StageLog(PrintStream out) {
    this.out = out;
  }

  public interface Body<T> {
    T run();
  }

  public <T> T stage(String name, Body<T> body) {
    long t0 = System.nanoTime();
    out.printf(Locale.ROOT, "[%s] started%n", name);
    out.flush();
    T r = body.run();
    double s = (System.nanoTime() - t0) / 1e9;
    seconds.merge(name, s, Double::sum);
    out.printf(Locale.ROOT, "[%s] done in %.2f s%n", name, s);
    out.flush();
    return r;
  }

  public void stage(String name, Runnable body) {
    stage(
        name,
        () -> {
          body.run();
          return null;
        });
  }

  public void info(String stage, String message) {
    out.printf(Locale.ROOT, "[%s] %s%n", stage, message);
    out.flush();
  }

  public Map<String, Double> seconds() {
    Map<String, Double> m = new LinkedHashMap<>(seconds);
    m.put("total", (System.nanoTime() - start) / 1e9);
    return m;
  }
}
