package dev.almanac.trainer.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A small LSTM regressor ({@link LstmNetwork}) trained in plain Java: inputs and target
 * standardized, weights initialised from the seed (PyTorch's U(±1/√H), forget bias 1), then
 * full-batch L-BFGS ({@link Lbfgs}, the optimiser the logistic regression uses) on mean squared
 * error + L2. Full-batch and fixed row chunks summed in order make the fit deterministic for a
 * seed, whatever the thread count. Params: {@code hidden} (8), {@code iterations} (30 L-BFGS
 * steps), {@code l2} (1e-3) and {@code sequenceColumns}: the feature columns read as the sequence,
 * oldest first (the forecast pipeline passes its lag columns; without it every column is one step).
 */
public final class LstmRegressorTrainer implements RegressorTrainer {
  public static final String TYPE = "LSTM";
  public static final String SEQUENCE_COLUMNS = "sequenceColumns";
  private static final Set<String> PARAMS = Set.of("hidden", "iterations", "l2", SEQUENCE_COLUMNS);
  private static final int CHUNK = 256;

  private final Map<String, String> spec;

  public LstmRegressorTrainer(Map<String, String> spec) {
    this.spec = spec;
  }

  @Override
  public String type() {
    return TYPE;
  }

  /**
   * The {@value #SEQUENCE_COLUMNS} param for a feature layout: the {@code lag_k} columns by
   * decreasing k.
   */
  public static String sequenceColumns(List<String> featureNames) {
    List<int[]> lags = new ArrayList<>();
    for (int j = 0; j < featureNames.size(); j++) {
      String n = featureNames.get(j);
      if (n.startsWith("lag_")) {
        lags.add(new int[] {Integer.parseInt(n.substring(4)), j});
      }
    }
    lags.sort((a, b) -> Integer.compare(b[0], a[0]));
    return String.join(",", lags.stream().map(l -> Integer.toString(l[1])).toList());
  }

  @Override
  public TrainedLstmRegressor fit(double[][] x, double[] y, FitOptions o) {
    ModelParams p = ModelParams.of(TYPE, spec, o.params(), PARAMS);
    int hidden = p.integer("hidden", 8, 1);
    int iterations = p.integer("iterations", 30, 1);
    double l2 = p.nonNegative("l2", 1e-3);
    int f = TrainingData.checkShape(x, y.length);
    TrainingData.checkFinite(x, TYPE);
    int[] sequence = parseSequence(p.string(SEQUENCE_COLUMNS, ""), f);
    int n = x.length;

    double[] mean = new double[f];
    double[] invSd = new double[f];
    for (int j = 0; j < f; j++) {
      double m = 0;
      for (double[] row : x) {
        m += row[j];
      }
      m /= n;
      double ss = 0;
      for (double[] row : x) {
        ss += (row[j] - m) * (row[j] - m);
      }
      double sd = Math.sqrt(ss / n);
      mean[j] = m;
      invSd[j] = sd > 1e-12 ? 1.0 / sd : 1.0;
    }
    double yMean = Arrays.stream(y).average().orElse(0);
    double ySd = Math.sqrt(Arrays.stream(y).map(v -> (v - yMean) * (v - yMean)).sum() / n);
    ySd = ySd > 1e-12 ? ySd : 1.0;
    double[][] xs = new double[n][f];
    double[] ys = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < f; j++) {
        xs[i][j] = (x[i][j] - mean[j]) * invSd[j];
      }
      ys[i] = (y[i] - yMean) / ySd;
    }

    LstmNetwork net = new LstmNetwork(hidden, sequence, f);
    double[] theta = initial(net, o.seed());
    int chunks = (n + CHUNK - 1) / CHUNK;
    ExecutorService pool =
        o.threads() > 1 && chunks > 1
            ? Executors.newFixedThreadPool(Math.min(o.threads(), chunks))
            : null;
    try {
      Lbfgs.Objective objective =
          (w, grad) -> {
            double[][] parts = new double[chunks][];
            double[] losses = new double[chunks];
            evaluateChunks(net, w, xs, ys, chunks, parts, losses, pool);
            Arrays.fill(grad, 0);
            double loss = 0;
            for (int c = 0; c < chunks; c++) { // fixed order: deterministic sums
              loss += losses[c];
              for (int k = 0; k < grad.length; k++) {
                grad[k] += parts[c][k];
              }
            }
            loss /= n;
            for (int k = 0; k < grad.length; k++) {
              grad[k] /= n;
            }
            for (int k = 0; k < net.b(); k++) { // input + recurrent weights
              loss += 0.5 * l2 * w[k] * w[k];
              grad[k] += l2 * w[k];
            }
            for (int k = net.v(); k < net.c0(); k++) { // head weights
              loss += 0.5 * l2 * w[k] * w[k];
              grad[k] += l2 * w[k];
            }
            return loss;
          };
      theta = Lbfgs.minimize(objective, theta, iterations, 1e-6).w();
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    return new TrainedLstmRegressor(net, theta, mean, invSd, yMean, ySd);
  }

  private static void evaluateChunks(
      LstmNetwork net,
      double[] w,
      double[][] xs,
      double[] ys,
      int chunks,
      double[][] parts,
      double[] losses,
      ExecutorService pool) {
    int n = xs.length;
    if (pool == null) {
      for (int c = 0; c < chunks; c++) {
        parts[c] = new double[w.length];
        losses[c] =
            net.lossAndGradient(w, xs, ys, c * CHUNK, Math.min(n, (c + 1) * CHUNK), parts[c]);
      }
      return;
    }
    List<Future<?>> futures = new ArrayList<>();
    for (int c = 0; c < chunks; c++) {
      int chunk = c;
      futures.add(
          pool.submit(
              () -> {
                parts[chunk] = new double[w.length];
                losses[chunk] =
                    net.lossAndGradient(
                        w, xs, ys, chunk * CHUNK, Math.min(n, (chunk + 1) * CHUNK), parts[chunk]);
              }));
    }
    try {
      for (Future<?> fu : futures) {
        fu.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("LSTM fit interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("LSTM gradient failed: " + e.getCause(), e.getCause());
    }
  }

  private static double[] initial(LstmNetwork net, long seed) {
    Random r = new Random(seed);
    double[] theta = new double[net.size()];
    double bound = 1.0 / Math.sqrt(net.hidden);
    for (int k = 0; k < net.v() + net.hidden; k++) {
      theta[k] = (2 * r.nextDouble() - 1) * bound;
    }
    for (int k = 0; k < net.hidden; k++) {
      theta[net.b() + 2 * net.hidden + k] = 1.0; // forget gate open at the start
    }
    return theta;
  }

  private static int[] parseSequence(String csv, int width) {
    if (csv.isBlank()) {
      int[] all = new int[width];
      Arrays.setAll(all, j -> j);
      return all;
    }
    String[] parts = csv.split(",");
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "parameter '"
                + SEQUENCE_COLUMNS
                + "' of model LSTM must be column indices, got '"
                + csv
                + "'");
      }
      if (out[i] < 0 || out[i] >= width) {
        throw new IllegalArgumentException(
            "parameter '"
                + SEQUENCE_COLUMNS
                + "' of model LSTM: column "
                + out[i]
                + " outside 0.."
                + (width - 1));
      }
    }
    return out;
  }
}
