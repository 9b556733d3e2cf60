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

  /**
   * Fills the node arrays of a tree of {@code nodes} nodes one node at a time, as the readers of
   * XGBoost's and LightGBM's model files go through them.
   */
  public static final class Builder {
    private final int[] feature;
    private final float[] threshold;
    private final int[] trueChild;
    private final int[] falseChild;
    private final boolean[] missingTracksTrue;
    private final double[][] leafValues;

    public Builder(int nodes) {
      feature = new int[nodes];
      threshold = new float[nodes];
      trueChild = new int[nodes];
      falseChild = new int[nodes];
      missingTracksTrue = new boolean[nodes];
      leafValues = new double[nodes][];
    }

    public Builder split(
        int node,
        int feature,
        float threshold,
        int trueChild,
        int falseChild,
        boolean missingTracksTrue) {
      this.feature[node] = feature;
      this.threshold[node] = threshold;
      this.trueChild[node] = trueChild;
      this.falseChild[node] = falseChild;
      this.missingTracksTrue[node] = missingTracksTrue;
      return this;
    }

    public Builder leaf(int node, double... values) {
      leafValues[node] = values;
      return this;
    }

    public DecisionTree build() {
      return new DecisionTree(
          feature, threshold, trueChild, falseChild, missingTracksTrue, leafValues);
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
