package dev.almanac.trainer.onnx;

import static dev.almanac.trainer.onnx.OnnxAttributes.ofFloats;
import static dev.almanac.trainer.onnx.OnnxAttributes.ofInt;
import static dev.almanac.trainer.onnx.OnnxAttributes.ofInts;
import static dev.almanac.trainer.onnx.OnnxAttributes.ofString;
import static dev.almanac.trainer.onnx.OnnxAttributes.ofStrings;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.List;

/** Tree ensembles as ai.onnx.ml TreeEnsembleRegressor / TreeEnsembleClassifier graphs. */
public final class TreeEnsembleExport {
  /** How an inner node compares: LightGBM and scikit-learn use {@code <=}, XGBoost {@code <}. */
  public enum Comparison {
    LEQ("BRANCH_LEQ"),
    LT("BRANCH_LT");

    final String mode;

    Comparison(String mode) {
      this.mode = mode;
    }
  }

  /** SUM adds leaf values (boosting), AVERAGE divides the sum by the number of trees (forests). */
  public enum Aggregate {
    SUM,
    AVERAGE
  }

  private TreeEnsembleExport() {}

  /** Single-output regressor: "features" float[N,F] → "prediction" float[N,1]. */
  public static OnnxMl.ModelProto regressor(
      List<DecisionTree> trees,
      int nFeatures,
      Comparison comparison,
      Aggregate aggregate,
      double baseValue,
      String docString) {
    Nodes nodes = Nodes.of(trees, comparison);
    List<long[]> leaves = new ArrayList<>(); // treeId, nodeId, target
    List<Float> weights = new ArrayList<>();
    for (int t = 0; t < trees.size(); t++) {
      DecisionTree tree = trees.get(t);
      for (int n = 0; n < tree.nodeCount(); n++) {
        if (tree.isLeaf(n)) {
          leaves.add(new long[] {t, n, 0});
          weights.add((float) tree.leafValues()[n][0]);
        }
      }
    }
    OnnxGraphBuilder g =
        new OnnxGraphBuilder("tree_ensemble_regressor")
            .featuresInput(nFeatures)
            .floatOutput("prediction", 1);
    List<OnnxMl.AttributeProto> attrs = new ArrayList<>(nodes.attributes());
    attrs.add(ofInts("target_treeids", column(leaves, 0)));
    attrs.add(ofInts("target_nodeids", column(leaves, 1)));
    attrs.add(ofInts("target_ids", column(leaves, 2)));
    attrs.add(ofFloats("target_weights", floats(weights)));
    attrs.add(ofInt("n_targets", 1));
    attrs.add(ofString("aggregate_function", aggregate.name()));
    attrs.add(ofString("post_transform", "NONE"));
    if (baseValue != 0.0) {
      attrs.add(ofFloats("base_values", new float[] {(float) baseValue}));
    }
    g.node(
        "TreeEnsembleRegressor",
        OnnxGraphBuilder.ML_DOMAIN,
        List.of("features"),
        List.of("prediction"),
        attrs.toArray(OnnxMl.AttributeProto[]::new));
    return g.build(docString);
  }

  /**
   * Classifier: "features" float[N,F] → "label" int64[N], "probabilities" float[N,C]. Class scores
   * are the sum of leaf values over trees plus {@code baseValues}, scaled by {@code leafScale}
   * (1/trees for a forest of probability leaves) and passed through Softmax when {@code softmax}
   * (boosting margins); label = ArgMax. Built on a multi-target TreeEnsembleRegressor rather than
   * TreeEnsembleClassifier, whose two-class special cases in ONNX Runtime rewrite the scores.
   */
  public static OnnxMl.ModelProto classifier(
      List<DecisionTree> trees,
      int nFeatures,
      int nClasses,
      Comparison comparison,
      double leafScale,
      double[] baseValues,
      boolean softmax,
      String docString) {
    Nodes nodes = Nodes.of(trees, comparison);
    List<long[]> leaves = new ArrayList<>();
    List<Float> weights = new ArrayList<>();
    for (int t = 0; t < trees.size(); t++) {
      DecisionTree tree = trees.get(t);
      for (int n = 0; n < tree.nodeCount(); n++) {
        if (!tree.isLeaf(n)) {
          continue;
        }
        double[] v = tree.leafValues()[n];
        if (v.length != nClasses) {
          throw new IllegalArgumentException(
              "tree "
                  + t
                  + " node "
                  + n
                  + " has "
                  + v.length
                  + " leaf values, expected one per class ("
                  + nClasses
                  + ")");
        }
        for (int c = 0; c < nClasses; c++) {
          if (v[c]
              != 0.0) { // sparse: pure forest leaves and per-class boosting trees carry one class
            leaves.add(new long[] {t, n, c});
            weights.add((float) (v[c] * leafScale));
          }
        }
      }
    }
    OnnxGraphBuilder g =
        new OnnxGraphBuilder("tree_ensemble_classifier")
            .featuresInput(nFeatures)
            .int64VectorOutput("label")
            .floatOutput("probabilities", nClasses);
    List<OnnxMl.AttributeProto> attrs = new ArrayList<>(nodes.attributes());
    attrs.add(ofInts("target_treeids", column(leaves, 0)));
    attrs.add(ofInts("target_nodeids", column(leaves, 1)));
    attrs.add(ofInts("target_ids", column(leaves, 2)));
    attrs.add(ofFloats("target_weights", floats(weights)));
    attrs.add(ofInt("n_targets", nClasses));
    attrs.add(ofString("aggregate_function", Aggregate.SUM.name()));
    attrs.add(ofString("post_transform", "NONE"));
    if (baseValues != null) {
      float[] b = new float[nClasses];
      for (int c = 0; c < nClasses; c++) {
        b[c] = (float) baseValues[c];
      }
      attrs.add(ofFloats("base_values", b));
    }
    String scores = softmax ? "scores" : "probabilities";
    g.node(
        "TreeEnsembleRegressor",
        OnnxGraphBuilder.ML_DOMAIN,
        List.of("features"),
        List.of(scores),
        attrs.toArray(OnnxMl.AttributeProto[]::new));
    if (softmax) {
      g.node("Softmax", List.of(scores), List.of("probabilities"), ofInt("axis", 1));
    }
    g.node(
        "ArgMax",
        List.of("probabilities"),
        List.of("label"),
        ofInt("axis", 1),
        ofInt("keepdims", 0));
    return g.build(docString);
  }

  private static long[] column(List<long[]> rows, int c) {
    long[] out = new long[rows.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = rows.get(i)[c];
    }
    return out;
  }

  private static float[] floats(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  /** The nodes_* attributes shared by both operators. */
  private record Nodes(List<OnnxMl.AttributeProto> attributes) {
    static Nodes of(List<DecisionTree> trees, Comparison comparison) {
      int total = trees.stream().mapToInt(DecisionTree::nodeCount).sum();
      long[] treeIds = new long[total];
      long[] nodeIds = new long[total];
      long[] featureIds = new long[total];
      float[] values = new float[total];
      String[] modes = new String[total];
      long[] trueIds = new long[total];
      long[] falseIds = new long[total];
      long[] missingTrue = new long[total];
      int i = 0;
      for (int t = 0; t < trees.size(); t++) {
        DecisionTree tree = trees.get(t);
        for (int n = 0; n < tree.nodeCount(); n++, i++) {
          treeIds[i] = t;
          nodeIds[i] = n;
          if (tree.isLeaf(n)) {
            modes[i] = "LEAF";
            continue;
          }
          modes[i] = comparison.mode;
          featureIds[i] = tree.feature()[n];
          values[i] = tree.threshold()[n];
          trueIds[i] = tree.trueChild()[n];
          falseIds[i] = tree.falseChild()[n];
          missingTrue[i] = tree.missingTracksTrue()[n] ? 1 : 0;
        }
      }
      return new Nodes(
          List.of(
              ofInts("nodes_treeids", treeIds),
              ofInts("nodes_nodeids", nodeIds),
              ofInts("nodes_featureids", featureIds),
              ofFloats("nodes_values", values),
              ofStrings("nodes_modes", modes),
              ofInts("nodes_truenodeids", trueIds),
              ofInts("nodes_falsenodeids", falseIds),
              ofInts("nodes_missing_value_tracks_true", missingTrue)));
    }
  }
}
