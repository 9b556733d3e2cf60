package dev.almanac.trainer.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.api.v1alpha1.pipeline.ModelType;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Forests grown with a seed are the ones the recursive grower (before the explicit-stack one,
 * commit 12b5cdf) grew: same node counts and bit-identical predictions, recorded as hashes of the
 * double bits.
 */
class ForestReproducibilityTest {
  private static final SyntheticData.Regression SMALL = SyntheticData.nonlinear(2000, 8, 11);
  private static final SyntheticData.Regression LARGE = SyntheticData.nonlinear(20000, 8, 12);

  @Test
  void regressorGrowsTheRecordedTrees() {
    TrainedForestRegressor r =
        (TrainedForestRegressor)
            ModelCatalog.regressor(ModelType.RandomForest, Map.of())
                .fit(LARGE.x(), LARGE.y(), new FitOptions(42, 1, Map.of()));
    assertThat(r.nodeCount()).isEqualTo(2_529_642);
    assertThat(Arrays.hashCode(r.predict(SMALL.x()))).isEqualTo(-2109912888);
  }

  @Test
  void regressorWithFeatureSamplingOnTwoThreadsGrowsTheRecordedTrees() {
    TrainedForestRegressor r =
        (TrainedForestRegressor)
            ModelCatalog.regressor(ModelType.RandomForest, Map.of("max_features", "sqrt"))
                .fit(SMALL.x(), SMALL.y(), new FitOptions(7, 2, Map.of()));
    assertThat(r.nodeCount()).isEqualTo(252_550);
    assertThat(Arrays.hashCode(r.predict(LARGE.x()))).isEqualTo(-695417244);
  }

  @Test
  void classifierGrowsTheRecordedTrees() {
    SyntheticData.Classification blobs = SyntheticData.blobs(3000, 8, 5, 13);
    TrainedClassifier c =
        ModelCatalog.classifier(ModelType.RandomForest, Map.of())
            .fit(blobs.x(), blobs.y(), 5, new FitOptions(3, 1, Map.of()));
    assertThat(Arrays.deepHashCode(c.predictProba(LARGE.x()))).isEqualTo(1557549110);
  }
}
