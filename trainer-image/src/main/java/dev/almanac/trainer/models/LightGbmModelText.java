package dev.almanac.trainer.models;

import dev.almanac.trainer.onnx.DecisionTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the trees of LightGBM's text model ({@code saveModelToString}). Leaf values already include
 * shrinkage and, with boost_from_average, the initial score (in the first tree). LightGBM compares
 * {@code (double) x <= threshold}; for a float32 x that equals {@code x <= t32} where t32 is the
 * largest float not above the double threshold, which is what gets exported. decision_type bits: 1
 * = categorical (rejected), 2 = default_left, bits 2-3 = missing type (0 None: NaN is treated as 0,
 * 1 Zero: zero and NaN are missing (rejected: ONNX cannot send zero to the default side), 2 NaN:
 * NaN takes the default side).
 */
final class LightGbmModelText {
  private LightGbmModelText() {}

  static List<DecisionTree> parse(String model) {
    List<DecisionTree> trees = new ArrayList<>();
    Map<String, String> block = null;
    for (String line : model.split("\n")) {
      String l = line.strip();
      if (l.startsWith("Tree=")) {
        if (block != null) {
          trees.add(tree(block, trees.size()));
        }
        block = new HashMap<>();
      } else if (l.equals("end of trees")) {
        break;
      } else if (block != null && l.contains("=")) {
        int eq = l.indexOf('=');
        block.put(l.substring(0, eq), l.substring(eq + 1));
      }
    }
    if (block != null) {
      trees.add(tree(block, trees.size()));
    }
    if (model.contains("num_class=") && !model.contains("num_class=1\n")) {
      throw new IllegalStateException("only single-output LightGBM models are exported");
    }
    return trees;
  }

  private static DecisionTree tree(Map<String, String> b, int index) {
    int leaves = Integer.parseInt(b.get("num_leaves"));
    double[] leafValue = doubles(b.get("leaf_value"));
    if (leaves == 1) {
      return new DecisionTree.Builder(1).leaf(0, leafValue[0]).build();
    }
    if (b.containsKey("is_linear") && !b.get("is_linear").equals("0")) {
      throw new IllegalStateException(
          "LightGBM tree " + index + " is a linear tree: not exportable");
    }
    int inner = leaves - 1;
    int[] splitFeature = ints(b.get("split_feature"));
    double[] thr = doubles(b.get("threshold"));
    int[] decision = ints(b.get("decision_type"));
    int[] left = ints(b.get("left_child"));
    int[] right = ints(b.get("right_child"));
    // node ids: inner nodes 0..inner-1 (root = 0), leaf k at inner + k
    var tree = new DecisionTree.Builder(inner + leaves);
    for (int i = 0; i < inner; i++) {
      int d = decision[i];
      if ((d & 1) != 0) {
        throw new IllegalStateException(
            "LightGBM tree " + index + " node " + i + " is a categorical split: not exportable");
      }
      boolean defaultLeft = (d & 2) != 0;
      int missingType = (d >> 2) & 3;
      boolean missingTrue =
          switch (missingType) {
            case 0 -> 0.0 <= thr[i]; // NaN is replaced by 0 before the comparison
            case 2 -> defaultLeft;
            default ->
                throw new IllegalStateException(
                    "LightGBM tree "
                        + index
                        + " node "
                        + i
                        + " treats zero as missing (zero_as_missing): not exportable");
          };
      tree.split(
          i,
          splitFeature[i],
          floorToFloat(thr[i]),
          left[i] >= 0 ? left[i] : inner + ~left[i],
          right[i] >= 0 ? right[i] : inner + ~right[i],
          missingTrue);
    }
    for (int k = 0; k < leaves; k++) {
      tree.leaf(inner + k, leafValue[k]);
    }
    return tree.build();
  }

  /** Largest float32 not above d. */
  static float floorToFloat(double d) {
    float f = (float) d;
    return f > d ? Math.nextDown(f) : f;
  }

  private static int[] ints(String s) {
    String[] p = s.trim().split(" ");
    int[] out = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = Integer.parseInt(p[i]);
    }
    return out;
  }

  /** C++ stream spellings: "inf", "-inf", "nan" (an all-values or NaN-only split). */
  private static double number(String s) {
    return switch (s.toLowerCase()) {
      case "inf", "+inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      case "nan", "-nan" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }

  private static double[] doubles(String s) {
    String[] p = s.trim().split(" ");
    double[] out = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = number(p[i]);
    }
    return out;
  }
}
