package dev.almanac.trainer.models;

import ai.onnx.proto.OnnxMl;
import com.microsoft.ml.lightgbm.PredictionType;
import dev.almanac.trainer.onnx.DecisionTree;
import dev.almanac.trainer.onnx.TreeEnsembleExport;
import io.github.metarank.lightgbm4j.LGBMBooster;
import io.github.metarank.lightgbm4j.LGBMException;
import java.util.List;

/** Native prediction through the booster; export from its text model. */
public final class TrainedLightGbmRegressor implements TrainedRegressor {
  private final LGBMBooster booster;
  private final int nFeatures;

  TrainedLightGbmRegressor(LGBMBooster booster, int nFeatures) {
    this.booster = booster;
    this.nFeatures = nFeatures;
  }

  @Override
  public String type() {
    return "LightGBM";
  }

  /** LightGBM's own text model, e.g. to log as an MLflow artifact. */
  public String modelText() {
    try {
      return booster.saveModelToString(0, 0, LGBMBooster.FeatureImportanceType.SPLIT);
    } catch (LGBMException e) {
      throw new IllegalStateException("cannot serialize LightGBM model: " + e.getMessage(), e);
    }
  }

  @Override
  public double predict(double[] row) {
    TrainingData.checkRow(row, nFeatures);
    try {
      // float input: the values ONNX Runtime sees, so both compare the same float32 features
      return booster.predictForMatSingleRow(
          TrainingData.toFloat(row), PredictionType.C_API_PREDICT_NORMAL);
    } catch (LGBMException e) {
      throw new IllegalStateException("LightGBM prediction failed: " + e.getMessage(), e);
    }
  }

  @Override
  public double[] predict(double[][] rows) {
    if (rows.length == 0) {
      return new double[0];
    }
    TrainingData.checkRows(rows, nFeatures);
    try {
      return booster.predictForMat(
          TrainingData.rowMajor(rows),
          rows.length,
          nFeatures,
          true,
          PredictionType.C_API_PREDICT_NORMAL);
    } catch (LGBMException e) {
      throw new IllegalStateException("LightGBM prediction failed: " + e.getMessage(), e);
    }
  }

  @Override
  public OnnxMl.ModelProto toOnnx(int nFeatures) {
    TrainingData.checkExportShape("LightGBM model", this.nFeatures, nFeatures);
    List<DecisionTree> trees = LightGbmModelText.parse(modelText());
    return TreeEnsembleExport.regressor(
        trees,
        nFeatures,
        TreeEnsembleExport.Comparison.LEQ,
        TreeEnsembleExport.Aggregate.SUM,
        0.0,
        "LightGBM regressor, " + trees.size() + " trees");
  }
}
