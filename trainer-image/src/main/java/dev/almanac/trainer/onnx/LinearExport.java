package dev.almanac.trainer.onnx;

import static dev.almanac.trainer.onnx.OnnxAttributes.ofInt;

import ai.onnx.proto.OnnxMl;
import java.util.List;

/** Linear models as MatMul + Add (+ Softmax/ArgMax for a multinomial classifier). */
public final class LinearExport {
  private LinearExport() {}

  /** prediction = features · w + intercept, as float[N,1]. */
  public static OnnxMl.ModelProto regressor(double[] w, double intercept, String docString) {
    int f = w.length;
    return new OnnxGraphBuilder("linear_regressor")
        .featuresInput(f)
        .floatOutput("prediction", 1)
        .floatInitializer("coef", new long[] {f, 1}, toFloat(w))
        .floatInitializer("intercept", new long[] {1}, new float[] {(float) intercept})
        .node("MatMul", List.of("features", "coef"), List.of("xw"))
        .node("Add", List.of("xw", "intercept"), List.of("prediction"))
        .build(docString);
  }

  /** probabilities = softmax(features · W + b) with W[F][C]; label = argmax. */
  public static OnnxMl.ModelProto softmaxClassifier(double[][] w, double[] b, String docString) {
    int f = w.length;
    int c = b.length;
    float[] flat = new float[f * c];
    for (int i = 0; i < f; i++) {
      for (int k = 0; k < c; k++) {
        flat[i * c + k] = (float) w[i][k];
      }
    }
    return new OnnxGraphBuilder("softmax_classifier")
        .featuresInput(f)
        .int64VectorOutput("label")
        .floatOutput("probabilities", c)
        .floatInitializer("coef", new long[] {f, c}, flat)
        .floatInitializer("intercept", new long[] {c}, toFloat(b))
        .node("MatMul", List.of("features", "coef"), List.of("xw"))
        .node("Add", List.of("xw", "intercept"), List.of("logits"))
        .node("Softmax", List.of("logits"), List.of("probabilities"), ofInt("axis", 1))
        .node(
            "ArgMax",
            List.of("probabilities"),
            List.of("label"),
            ofInt("axis", 1),
            ofInt("keepdims", 0))
        .build(docString);
  }

  private static float[] toFloat(double[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }
}
