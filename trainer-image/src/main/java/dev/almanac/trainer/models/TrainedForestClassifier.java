package dev.almanac.trainer.models;

import ai.onnx.proto.OnnxMl;
import dev.almanac.trainer.onnx.TreeEnsembleExport;
import java.util.List;

/** Mean of the trees' leaf class frequencies. */
public final class TrainedForestClassifier implements TrainedClassifier {
  private final List<CartTree> trees;
  private final int nFeatures;
  private final int nClasses;

  TrainedForestClassifier(List<CartTree> trees, int nFeatures, int nClasses) {
    this.trees = List.copyOf(trees);
    this.nFeatures = nFeatures;
    this.nClasses = nClasses;
  }

  @Override
  public String type() {
    return "RandomForest";
  }

  public int nodeCount() {
    return trees.stream().mapToInt(CartTree::nodeCount).sum();
  }

  @Override
  public double[] predictProba(double[] row) {
    TrainingData.checkRow(row, nFeatures);
    float[] x = TrainingData.toFloat(row);
    double[] p = new double[nClasses];
    for (CartTree t : trees) {
      double[] leaf = t.leafFor(x);
      for (int c = 0; c < nClasses; c++) {
        p[c] += leaf[c];
      }
    }
    for (int c = 0; c < nClasses; c++) {
      p[c] /= trees.size();
    }
    return p;
  }

  @Override
  public OnnxMl.ModelProto toOnnx(int nFeatures, int nClasses) {
    TrainingData.checkExportShape(
        "RandomForest", this.nFeatures, this.nClasses, nFeatures, nClasses);
    return TreeEnsembleExport.classifier(
        trees.stream().map(CartTree::toDecisionTree).toList(),
        nFeatures,
        nClasses,
        TreeEnsembleExport.Comparison.LEQ,
        1.0 / trees.size(),
        null,
        false,
        "RandomForest classifier, " + trees.size() + " trees");
  }
}
