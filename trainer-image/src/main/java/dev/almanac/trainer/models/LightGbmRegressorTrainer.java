package dev.almanac.trainer.models;

import io.github.metarank.lightgbm4j.LGBMBooster;
import io.github.metarank.lightgbm4j.LGBMDataset;
import io.github.metarank.lightgbm4j.LGBMException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * lightgbm4j gbdt with L2 loss, parameters as LGBMRegressor's (names and defaults: 100 rounds, 31
 * leaves, learning rate 0.1, min_child_samples 20). deterministic + force_row_wise make a fixed
 * seed reproduce the same model.
 */
public final class LightGbmRegressorTrainer implements RegressorTrainer {
  static final Set<String> PARAMS =
      Set.of(
          "n_estimators",
          "learning_rate",
          "num_leaves",
          "max_depth",
          "min_child_samples",
          "min_child_weight",
          "subsample",
          "subsample_freq",
          "colsample_bytree",
          "reg_alpha",
          "reg_lambda",
          "max_bin");

  private final Map<String, String> spec;

  public LightGbmRegressorTrainer(Map<String, String> spec) {
    this.spec = spec;
  }

  @Override
  public String type() {
    return "LightGBM";
  }

  @Override
  public TrainedLightGbmRegressor fit(double[][] x, double[] y, FitOptions o) {
    ModelParams p = ModelParams.of(type(), spec, o.params(), PARAMS);
    int f = TrainingData.checkShape(x, y.length);
    int rounds = p.integer("n_estimators", 100, 1);
    String params =
        String.format(
            Locale.ROOT,
            "objective=regression boosting=gbdt learning_rate=%s num_leaves=%d max_depth=%d min_data_in_leaf=%d "
                + "min_sum_hessian_in_leaf=%s bagging_fraction=%s bagging_freq=%d feature_fraction=%s "
                + "lambda_l1=%s lambda_l2=%s max_bin=%d seed=%d num_threads=%d deterministic=true "
                + "force_row_wise=true verbosity=-1",
            p.positive("learning_rate", 0.1),
            p.integer("num_leaves", 31, 2),
            p.integer("max_depth", -1, -1),
            p.integer("min_child_samples", 20, 0),
            p.nonNegative("min_child_weight", 1e-3),
            p.positive("subsample", 1.0),
            p.integer("subsample_freq", 0, 0),
            p.positive("colsample_bytree", 1.0),
            p.nonNegative("reg_alpha", 0.0),
            p.nonNegative("reg_lambda", 0.0),
            p.integer("max_bin", 255, 2),
            o.seed(),
            o.threads());
    LightGbmNatives.ensureLoaded();
    try (LGBMDataset d =
        LGBMDataset.createFromMat(TrainingData.rowMajor(x), x.length, f, true, params, null)) {
      d.setField("label", TrainingData.toFloat(y));
      LGBMBooster b = LGBMBooster.create(d, params);
      for (int i = 0; i < rounds; i++) {
        if (b.updateOneIter()) {
          break; // no further split improves the loss
        }
      }
      return new TrainedLightGbmRegressor(b, f);
    } catch (LGBMException e) {
      throw new IllegalStateException("LightGBM training failed: " + e.getMessage(), e);
    }
  }
}
