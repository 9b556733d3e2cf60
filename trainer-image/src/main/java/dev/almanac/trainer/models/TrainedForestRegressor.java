package dev.almanac.trainer.models;

import ai.onnx.proto.OnnxMl;
import dev.almanac.trainer.onnx.TreeEnsembleExport;
import java.util.List;

/** Mean of the trees' leaf values. */
public final class TrainedForestRegressor implements TrainedRegressor {
  private final List<CartTree> trees;
  private final int nFeatures;

  TrainedForestRegressor(List<CartTree> trees, int nFeatures) {
    this.trees = List.copyOf(trees);
    this.nFeatures = nFeatures;
  }

  @Override
  public String type() {
    return "RandomForest";
  }

  public int treeCount() {
    return trees.size();
  }

  public int nodeCount() {
    return trees.stream().mapToInt(CartTree::nodeCount).sum();
  }

  @Override
  public double predict(double[] row) {
    TrainingData.checkRow(row, nFeatures);
    float[] x = TrainingData.toFloat(row);
    double s = 0;
    for (CartTree t : trees) {
      s += t.leafFor(x)[0];
    }
    return s / trees.size();
  }

  @Override
  public OnnxMl.ModelProto toOnnx(int nFeatures) {
    TrainingData.checkExportShape("RandomForest", this.nFeatures, nFeatures);
    return TreeEnsembleExport.regressor(
        trees.stream().map(CartTree::toDecisionTree).toList(),
        nFeatures,
        TreeEnsembleExport.Comparison.LEQ,
        TreeEnsembleExport.Aggregate.AVERAGE,
        0.0,
        "RandomForest regressor, " + trees.size() + " trees");
  }
}
