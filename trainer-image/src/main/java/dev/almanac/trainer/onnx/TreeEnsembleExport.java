package dev.almanac.trainer.onnx;

import static dev.almanac.trainer.onnx.OnnxAttributes.ofFloats;
import static dev.almanac.trainer.onnx.OnnxAttributes.ofInt;
import static dev.almanac.trainer.onnx.OnnxAttributes.ofInts;
import static dev.almanac.trainer.onnx.OnnxAttributes.ofString;
import static dev.almanac.trainer.onnx.OnnxAttributes.ofStrings;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.List;

/**
 * Tree ensembles as ai.onnx.ml graphs: regressors as one TreeEnsemble node (ai.onnx.ml 5),
 * classifiers as a multi-target TreeEnsembleRegressor (ai.onnx.ml 3; a TreeEnsemble leaf holds one
 * target, a forest's leaf one probability per class).
 */
public final class TreeEnsembleExport {
  /** How an inner node compares: LightGBM and scikit-learn use {@code <=}, XGBoost {@code <}. */
  public enum Comparison {
    LEQ("BRANCH_LEQ", 0),
    LT("BRANCH_LT", 1);

    /** TreeEnsembleRegressor's nodes_modes string. */
    final String mode;

    /** TreeEnsemble's nodes_modes byte. */
    final byte code;

    Comparison(String mode, int code) {
      this.mode = mode;
      this.code = (byte) code;
    }
  }

  /** SUM adds leaf values (boosting), AVERAGE divides the sum by the number of trees (forests). */
  public enum Aggregate {
    SUM(1),
    AVERAGE(0);

    /** TreeEnsemble's aggregate_function. */
    final int code;

    Aggregate(int code) {
      this.code = code;
    }
  }

  private TreeEnsembleExport() {}

  /**
   * Single-output regressor: "features" float[N,F] → "prediction" float[N,1], as one ai.onnx.ml
   * TreeEnsemble node (opset 5). Against TreeEnsembleRegressor it stores each leaf once and the
   * modes as bytes: the covid example's forest (537,726 nodes) is 7 MB instead of 18 MB, and ONNX
   * Runtime opens it in 40 % of the time with ~70 MB less memory.
   */
  public static OnnxMl.ModelProto regressor(
      List<DecisionTree> trees,
      int nFeatures,
      Comparison comparison,
      Aggregate aggregate,
      double baseValue,
      String docString) {
    OnnxGraphBuilder g =
        new OnnxGraphBuilder("tree_ensemble_regressor")
            .mlOpset(OnnxGraphBuilder.ML_OPSET_TREE_ENSEMBLE)
            .featuresInput(nFeatures)
            .floatOutput("prediction", 1);
    String sum = baseValue != 0.0 ? "trees" : "prediction";
    List<OnnxMl.AttributeProto> attrs =
        new ArrayList<>(TreeEnsembleNodes.of(trees, comparison.code).attributes());
    attrs.add(ofInt("n_targets", 1));
    attrs.add(ofInt("aggregate_function", aggregate.code));
    attrs.add(ofInt("post_transform", 0));
    g.node(
        "TreeEnsemble",
        OnnxGraphBuilder.ML_DOMAIN,
        List.of("features"),
        List.of(sum),
        attrs.toArray(OnnxMl.AttributeProto[]::new));
    if (baseValue != 0.0) {
      // TreeEnsemble has no base value: added after
      g.floatInitializer("base_value", new long[] {1}, new float[] {(float) baseValue});
      g.node("Add", List.of("trees", "base_value"), List.of("prediction"));
    }
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

  /** The nodes_* attributes of a TreeEnsembleRegressor (the classifier's graph). */
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
