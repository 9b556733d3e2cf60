package dev.almanac.trainer.onnx;

import static dev.almanac.trainer.onnx.OnnxAttributes.ofInts;
import static dev.almanac.trainer.onnx.OnnxAttributes.ofTensor;
import static dev.almanac.trainer.onnx.OnnxAttributes.ofUint8Tensor;

import ai.onnx.proto.OnnxMl;
import java.util.List;

/**
 * Single-target trees in the layout of ai.onnx.ml TreeEnsemble (opset 5): inner nodes and leaves
 * numbered apart, across all trees; a child is one or the other (its {@code *leafs} flag).
 */
record TreeEnsembleNodes(List<OnnxMl.AttributeProto> attributes) {

  /** The tree_roots, nodes_* and leaf_* attributes; {@code mode} is nodes_modes' byte. */
  static TreeEnsembleNodes of(List<DecisionTree> trees, byte mode) {
    int inner = 0;
    int leaves = 0;
    int[][] index = new int[trees.size()][];
    long[] roots = new long[trees.size()];
    for (int t = 0; t < trees.size(); t++) {
      DecisionTree tree = trees.get(t);
      index[t] = new int[tree.nodeCount()];
      roots[t] = inner;
      if (tree.isLeaf(0)) {
        // a tree that is one leaf: an inner node whose two children are two copies of that leaf
        // (ONNX Runtime before 1.30 miscounts a leaf that is both children of one node)
        inner++;
        index[t][0] = leaves;
        leaves += 2;
        continue;
      }
      for (int n = 0; n < tree.nodeCount(); n++) {
        index[t][n] = tree.isLeaf(n) ? leaves++ : inner++;
      }
    }
    var nodes = new Inner(inner);
    float[] weights = new float[leaves];
    for (int t = 0; t < trees.size(); t++) {
      DecisionTree tree = trees.get(t);
      if (tree.isLeaf(0)) {
        int i = (int) roots[t];
        nodes.modes[i] = mode;
        nodes.child(i, true, index[t][0], true);
        nodes.child(i, false, index[t][0] + 1, true);
        weights[index[t][0]] = (float) tree.leafValues()[0][0];
        weights[index[t][0] + 1] = (float) tree.leafValues()[0][0];
        continue;
      }
      for (int n = 0; n < tree.nodeCount(); n++) {
        if (tree.isLeaf(n)) {
          weights[index[t][n]] = (float) tree.leafValues()[n][0];
          continue;
        }
        int i = index[t][n];
        nodes.featureIds[i] = tree.feature()[n];
        nodes.splits[i] = tree.threshold()[n];
        nodes.modes[i] = mode;
        int yes = tree.trueChild()[n];
        int no = tree.falseChild()[n];
        nodes.child(i, true, index[t][yes], tree.isLeaf(yes));
        nodes.child(i, false, index[t][no], tree.isLeaf(no));
        nodes.missingTrue[i] = tree.missingTracksTrue()[n] ? 1 : 0;
      }
    }
    return new TreeEnsembleNodes(
        List.of(
            ofInts("tree_roots", roots),
            ofInts("nodes_featureids", nodes.featureIds),
            ofTensor("nodes_splits", nodes.splits),
            ofUint8Tensor("nodes_modes", nodes.modes),
            ofInts("nodes_truenodeids", nodes.trueIds),
            ofInts("nodes_trueleafs", nodes.trueLeafs),
            ofInts("nodes_falsenodeids", nodes.falseIds),
            ofInts("nodes_falseleafs", nodes.falseLeafs),
            ofInts("nodes_missing_value_tracks_true", nodes.missingTrue),
            ofInts("leaf_targetids", new long[leaves]),
            ofTensor("leaf_weights", weights)));
  }

  /** The nodes_* arrays, one entry per inner node. */
  private static final class Inner {
    final long[] featureIds;
    final float[] splits;
    final byte[] modes;
    final long[] trueIds;
    final long[] trueLeafs;
    final long[] falseIds;
    final long[] falseLeafs;
    final long[] missingTrue;

    Inner(int n) {
      featureIds = new long[n];
      splits = new float[n];
      modes = new byte[n];
      trueIds = new long[n];
      trueLeafs = new long[n];
      falseIds = new long[n];
      falseLeafs = new long[n];
      missingTrue = new long[n];
    }

    void child(int node, boolean side, long target, boolean leaf) {
      (side ? trueIds : falseIds)[node] = target;
      (side ? trueLeafs : falseLeafs)[node] = leaf ? 1 : 0;
    }
  }
}
