package dev.almanac.trainer.models;

import dev.almanac.trainer.onnx.DecisionTree;

/**
 * A fitted CART tree in flat arrays. Inner node: {@code x[feature] <= threshold} goes left,
 * compared in float32 (thresholds are the largest float not above the split midpoint), so ONNX
 * Runtime takes the same path. Leaves hold one value per output (mean target, or class
 * probabilities).
 */
record CartTree(int[] feature, float[] threshold, int[] left, int[] right, double[][] leaf) {

  double[] leafFor(float[] x) {
    int node = 0;
    while (leaf[node] == null) {
      node = x[feature[node]] <= threshold[node] ? left[node] : right[node];
    }
    return leaf[node];
  }

  int nodeCount() {
    return feature.length;
  }

  DecisionTree toDecisionTree() {
    // NaN compares false, so it goes right natively: the exported tree does the same
    return new DecisionTree(feature, threshold, left, right, new boolean[feature.length], leaf);
  }
}
