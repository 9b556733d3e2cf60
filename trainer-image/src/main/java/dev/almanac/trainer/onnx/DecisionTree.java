package dev.almanac.trainer.onnx;

/**
 * Library-neutral binary decision tree, the form every tree model is exported from. Node 0 is the
 * root. An inner node sends x to {@code trueChild} when {@code x[feature] <= threshold} (LEQ trees)
 * or {@code x[feature] < threshold} (LT trees); a NaN goes to the true child iff {@code
 * missingTracksTrue}. A node is a leaf iff {@code leafValues[node] != null}; a leaf holds one value
 * per output target (regression: one; classification: one per class).
 */
public record DecisionTree(
    int[] feature,
    float[] threshold,
    int[] trueChild,
    int[] falseChild,
    boolean[] missingTracksTrue,
    double[][] leafValues) {

  public DecisionTree {
    int n = feature.length;
    if (threshold.length != n
        || trueChild.length != n
        || falseChild.length != n
        || missingTracksTrue.length != n
        || leafValues.length != n) {
      throw new IllegalArgumentException("decision tree arrays differ in length (nodes=" + n + ")");
    }
  }

  public int nodeCount() {
    return feature.length;
  }

  public boolean isLeaf(int node) {
    return leafValues[node] != null;
  }

  /** Reference evaluation with the same float32 semantics as ONNX Runtime. */
  public double[] leafFor(float[] x, boolean strictLess) {
    int node = 0;
    while (!isLeaf(node)) {
      float v = x[feature[node]];
      boolean goTrue =
          Float.isNaN(v)
              ? missingTracksTrue[node]
              : strictLess ? v < threshold[node] : v <= threshold[node];
      node = goTrue ? trueChild[node] : falseChild[node];
    }
    return leafValues[node];
  }
}
