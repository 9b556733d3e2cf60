package dev.almanac.trainer.onnx;

import static dev.almanac.trainer.onnx.OnnxAttributes.ofInt;

import ai.onnx.proto.OnnxMl;
import java.util.List;

/**
 * The LSTM member as an ONNX graph: standardize the row, gather the sequence columns into X[T, N,
 * 1], run the ONNX {@code LSTM} operator (one direction, default activations), and apply the linear
 * head to [Y_h, standardized row]; the target's scale is folded into the head.
 */
public final class LstmExport {
  private LstmExport() {}

  /**
   * @param w input weights [4H] (gate order i, o, f, c), {@code r} recurrent weights [4H][H]
   *     row-major, {@code b} biases [8H] (Wb then Rb), {@code head} [H + F] on (h_T, standardized
   *     row), {@code bias} added last
   */
  public static OnnxMl.ModelProto regressor(
      double[] mean,
      double[] invSd,
      int[] sequence,
      int hidden,
      float[] w,
      float[] r,
      float[] b,
      float[] head,
      float bias) {
    int f = mean.length;
    long[] seq = new long[sequence.length];
    for (int t = 0; t < seq.length; t++) {
      seq[t] = sequence[t];
    }
    return new OnnxGraphBuilder("lstm_regressor")
        .featuresInput(f)
        .floatOutput("prediction", 1)
        .floatInitializer("mean", new long[] {f}, toFloat(mean))
        .floatInitializer("inv_sd", new long[] {f}, toFloat(invSd))
        .int64Initializer("sequence", new long[] {seq.length}, seq)
        .int64Initializer("axis_0", new long[] {1}, new long[] {0})
        .int64Initializer("axis_2", new long[] {1}, new long[] {2})
        .floatInitializer("W", new long[] {1, 4L * hidden, 1}, w)
        .floatInitializer("R", new long[] {1, 4L * hidden, hidden}, r)
        .floatInitializer("B", new long[] {1, 8L * hidden}, b)
        .floatInitializer("head", new long[] {hidden + f, 1}, head)
        .floatInitializer("bias", new long[] {1}, new float[] {bias})
        .node("Sub", List.of("features", "mean"), List.of("centered"))
        .node("Mul", List.of("centered", "inv_sd"), List.of("standardized"))
        .node("Gather", List.of("standardized", "sequence"), List.of("steps_nt"), ofInt("axis", 1))
        .node(
            "Transpose",
            List.of("steps_nt"),
            List.of("steps_tn"),
            OnnxAttributes.ofInts("perm", new long[] {1, 0}))
        .node("Unsqueeze", List.of("steps_tn", "axis_2"), List.of("x_seq"))
        .node(
            "LSTM",
            List.of("x_seq", "W", "R", "B"),
            List.of("", "y_h"),
            ofInt("hidden_size", hidden))
        .node("Squeeze", List.of("y_h", "axis_0"), List.of("h_last"))
        .node("Concat", List.of("h_last", "standardized"), List.of("head_in"), ofInt("axis", 1))
        .node("MatMul", List.of("head_in", "head"), List.of("head_out"))
        .node("Add", List.of("head_out", "bias"), List.of("prediction"))
        .build("LSTM regressor, hidden " + hidden + ", " + sequence.length + " steps");
  }

  private static float[] toFloat(double[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }
}
