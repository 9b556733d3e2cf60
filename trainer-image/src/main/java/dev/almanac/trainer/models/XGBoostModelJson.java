package dev.almanac.trainer.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.almanac.trainer.onnx.DecisionTree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads XGBoost's JSON model ({@code Booster.toByteArray("json")}): per tree the flat node arrays,
 * its output group (class) from {@code tree_info}, and the {@code base_score} intercept (a vector
 * in XGBoost 3, one value per target/class, already in margin space for squared error and softmax).
 * Split conditions and leaf values are float32 in XGBoost and kept bit for bit; XGBoost sends
 * {@code x < split_condition} and missing values by {@code default_left} to the left child.
 */
final class XGBoostModelJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Parsed(List<DecisionTree> trees, double[] baseScore, String objective) {}

  private XGBoostModelJson() {}

  /**
   * nOutputs = 1 for regression (every tree adds to the one output), else the number of classes.
   */
  static Parsed parse(byte[] json, int nOutputs) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read XGBoost JSON model: " + e.getMessage(), e);
    }
    JsonNode learner = root.path("learner");
    String objective = learner.path("objective").path("name").asText();
    JsonNode model = learner.path("gradient_booster").path("model");
    String booster = learner.path("gradient_booster").path("name").asText();
    if (!booster.equals("gbtree")) {
      throw new IllegalStateException(
          "only the gbtree booster can be exported to ONNX, model uses '" + booster + "'");
    }
    JsonNode treeInfo = model.path("tree_info");
    JsonNode treesJson = model.path("trees");
    List<DecisionTree> trees = new ArrayList<>(treesJson.size());
    for (int t = 0; t < treesJson.size(); t++) {
      int group = nOutputs == 1 ? 0 : treeInfo.get(t).asInt();
      trees.add(tree(treesJson.get(t), t, group, nOutputs));
    }
    double[] base =
        parseBaseScore(learner.path("learner_model_param").path("base_score").asText(), nOutputs);
    return new Parsed(trees, base, objective);
  }

  private static DecisionTree tree(JsonNode t, int index, int group, int nOutputs) {
    JsonNode left = t.path("left_children");
    JsonNode right = t.path("right_children");
    JsonNode feat = t.path("split_indices");
    JsonNode cond = t.path("split_conditions");
    JsonNode defLeft = t.path("default_left");
    JsonNode splitType = t.path("split_type");
    int n = left.size();
    var tree = new DecisionTree.Builder(n);
    for (int i = 0; i < n; i++) {
      float c = (float) cond.get(i).asDouble();
      if (left.get(i).asInt() == -1) {
        double[] v = new double[nOutputs];
        v[group] = c;
        tree.leaf(i, v);
        continue;
      }
      if (splitType.size() > i && splitType.get(i).asInt() != 0) {
        throw new IllegalStateException(
            "XGBoost tree " + index + " node " + i + " is a categorical split: not exportable");
      }
      tree.split(
          i,
          feat.get(i).asInt(),
          c,
          left.get(i).asInt(),
          right.get(i).asInt(),
          defLeft.get(i).asInt() != 0);
    }
    return tree.build();
  }

  /** "5.4E0", "[5.4E0]" or "[a,b,c]". */
  static double[] parseBaseScore(String text, int nOutputs) {
    String s = text.trim();
    if (s.startsWith("[")) {
      s = s.substring(1, s.length() - 1);
    }
    String[] parts = s.split(",");
    double[] out = new double[nOutputs];
    for (int k = 0; k < nOutputs; k++) {
      String p = parts.length == 1 ? parts[0] : parts[k];
      out[k] = (float) Double.parseDouble(p.trim());
    }
    if (parts.length != 1 && parts.length != nOutputs) {
      throw new IllegalStateException(
          "XGBoost base_score has " + parts.length + " values, expected 1 or " + nOutputs);
    }
    return out;
  }
}
