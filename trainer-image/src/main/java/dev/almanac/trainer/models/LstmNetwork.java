package dev.almanac.trainer.models;

/**
 * The LSTM member's network on standardized inputs: an LSTM (ONNX gate order i, o, f, c; sigmoid
 * gates, tanh cell and output, as the ONNX {@code LSTM} operator defaults) reads a sequence of
 * scalar steps taken from the feature row (the lag columns, oldest first), and a linear head reads
 * its last hidden state together with the whole row: out = v·h_T + u·x + c0. All parameters live in
 * one flat vector (the optimiser's view); {@link #lossAndGradient} is mean squared error plus an L2
 * penalty on the weights, with the gradient by backpropagation through time.
 */
final class LstmNetwork {
  final int hidden;
  final int[] sequence;
  final int width;

  LstmNetwork(int hidden, int[] sequence, int width) {
    this.hidden = hidden;
    this.sequence = sequence.clone();
    this.width = width;
  }

  int size() {
    return 4 * hidden + 4 * hidden * hidden + 4 * hidden + hidden + width + 1;
  }

  // offsets into the flat parameter vector
  int w() {
    return 0; // [4H] input weights (one scalar input per step)
  }

  int r() {
    return 4 * hidden; // [4H][H] recurrent weights, row-major
  }

  int b() {
    return r() + 4 * hidden * hidden; // [4H] gate biases
  }

  int v() {
    return b() + 4 * hidden; // [H] head on h_T
  }

  int u() {
    return v() + hidden; // [F] head on the row
  }

  int c0() {
    return u() + width;
  }

  /** Network output for one standardized row. */
  double forward(double[] theta, double[] x) {
    int h = hidden;
    double[] hp = new double[h];
    double[] c = new double[h];
    double[] a = new double[4 * h];
    for (int t = 0; t < sequence.length; t++) {
      gates(theta, x[sequence[t]], t == 0 ? null : hp, a);
      for (int k = 0; k < h; k++) {
        c[k] = a[2 * h + k] * c[k] + a[k] * a[3 * h + k];
        hp[k] = a[h + k] * Math.tanh(c[k]);
      }
    }
    double out = theta[c0()];
    for (int k = 0; k < h; k++) {
      out += theta[v() + k] * hp[k];
    }
    for (int j = 0; j < width; j++) {
      out += theta[u() + j] * x[j];
    }
    return out;
  }

  /**
   * Activated gates (i, o, f sigmoid; c tanh) of one step from its scalar input and the previous
   * hidden state ({@code hp} null: the zero initial state, whose recurrent term is skipped).
   */
  private void gates(double[] theta, double xt, double[] hp, double[] a) {
    int h = hidden;
    for (int g = 0; g < 4 * h; g++) {
      double s = theta[w() + g] * xt + theta[b() + g];
      if (hp != null) {
        int rr = r() + g * h;
        for (int k = 0; k < h; k++) {
          s += theta[rr + k] * hp[k];
        }
      }
      a[g] = g < 3 * h ? sigmoid(s) : Math.tanh(s);
    }
  }

  /**
   * Sum over rows [from, to) of 0.5·(out − y)²; the gradient is added into {@code grad} (the caller
   * averages and adds the penalty).
   */
  double lossAndGradient(
      double[] theta, double[][] x, double[] y, int from, int to, double[] grad) {
    int h = hidden;
    int steps = sequence.length;
    double loss = 0;
    double[][] hs = new double[steps + 1][h];
    double[][] cs = new double[steps + 1][h];
    double[][] gates = new double[steps][4 * h];
    double[] dh = new double[h];
    double[] dc = new double[h];
    double[] da = new double[4 * h];
    for (int n = from; n < to; n++) {
      double[] row = x[n];
      for (int t = 0; t < steps; t++) {
        double[] a = gates[t];
        gates(theta, row[sequence[t]], t == 0 ? null : hs[t], a);
        for (int k = 0; k < h; k++) {
          cs[t + 1][k] = a[2 * h + k] * cs[t][k] + a[k] * a[3 * h + k];
          hs[t + 1][k] = a[h + k] * Math.tanh(cs[t + 1][k]);
        }
      }
      double out = theta[c0()];
      for (int k = 0; k < h; k++) {
        out += theta[v() + k] * hs[steps][k];
      }
      for (int j = 0; j < width; j++) {
        out += theta[u() + j] * row[j];
      }
      double err = out - y[n];
      loss += 0.5 * err * err;
      // head
      grad[c0()] += err;
      for (int k = 0; k < h; k++) {
        grad[v() + k] += err * hs[steps][k];
        dh[k] = err * theta[v() + k];
        dc[k] = 0;
      }
      for (int j = 0; j < width; j++) {
        grad[u() + j] += err * row[j];
      }
      // backpropagation through time
      for (int t = steps - 1; t >= 0; t--) {
        double[] a = gates[t];
        for (int k = 0; k < h; k++) {
          double i = a[k];
          double o = a[h + k];
          double f = a[2 * h + k];
          double c = a[3 * h + k];
          double tc = Math.tanh(cs[t + 1][k]);
          double dct = dc[k] + dh[k] * o * (1 - tc * tc);
          da[k] = dct * c * i * (1 - i);
          da[h + k] = dh[k] * tc * o * (1 - o);
          da[2 * h + k] = dct * cs[t][k] * f * (1 - f);
          da[3 * h + k] = dct * i * (1 - c * c);
          dc[k] = dct * f;
        }
        double xt = row[sequence[t]];
        double[] hp = hs[t];
        java.util.Arrays.fill(dh, 0);
        for (int g = 0; g < 4 * h; g++) {
          double dg = da[g];
          grad[w() + g] += dg * xt;
          grad[b() + g] += dg;
          if (t == 0) {
            continue; // h_0 = 0: no recurrent gradient, no earlier step
          }
          int rr = r() + g * h;
          for (int k = 0; k < h; k++) {
            grad[rr + k] += dg * hp[k];
            dh[k] += dg * theta[rr + k];
          }
        }
      }
    }
    return loss;
  }

  static double sigmoid(double s) {
    return 1.0 / (1.0 + Math.exp(-s));
  }
}
