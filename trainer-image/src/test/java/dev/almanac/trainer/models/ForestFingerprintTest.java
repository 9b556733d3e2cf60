package dev.almanac.trainer.models;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForestFingerprintTest {
  @Test
  void measure() throws Exception {
    StringBuilder sb = new StringBuilder();
    SyntheticData.Regression small = SyntheticData.nonlinear(2000, 8, 11);
    SyntheticData.Regression big = SyntheticData.nonlinear(20000, 8, 12);
    SyntheticData.Classification blobs = SyntheticData.blobs(3000, 8, 5, 13);
    for (int rep = 0; rep < 3; rep++) {
      long t0 = System.nanoTime();
      TrainedForestRegressor r = (TrainedForestRegressor) ModelCatalog.regressor("RandomForest", Map.of())
          .fit(big.x(), big.y(), new FitOptions(42, 1, Map.of()));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      sb.append("big rep ").append(rep).append(" ms ").append(ms).append(" nodes ").append(r.nodeCount())
          .append(" pred ").append(Arrays.hashCode(r.predict(small.x()))).append('\n');
    }
    TrainedForestRegressor r = (TrainedForestRegressor) ModelCatalog.regressor("RandomForest", Map.of("max_features", "sqrt"))
        .fit(small.x(), small.y(), new FitOptions(7, 2, Map.of()));
    sb.append("small nodes ").append(r.nodeCount()).append(" pred ").append(Arrays.hashCode(r.predict(big.x()))).append('\n');
    TrainedClassifier c = ModelCatalog.classifier("RandomForest", Map.of()).fit(blobs.x(), blobs.y(), 5, new FitOptions(3, 1, Map.of()));
    sb.append("blobs pred ").append(Arrays.deepHashCode(c.predictProba(big.x()))).append('\n');
    Files.writeString(Path.of("/tmp/num/forest-" + System.getenv().getOrDefault("TAG", "x") + ".txt"), sb.toString());
  }
}
