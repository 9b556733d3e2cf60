package dev.almanac.server.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsFlatteningTest {
  @Test
  void theServedModelsOverallFiguresComeFirstAndSurviveTheLimit() {
    Map<String, Double> flat = new LinkedHashMap<>();
    for (String member : List.of("RandomForest", "SeasonalNaive", "ETS", "NaiveLast")) {
      for (String m : List.of("mean_mae", "mean_rmse", "mean_mase")) {
        flat.put("overall." + member + "." + m, 1.0);
      }
      flat.put("perSeries.USA." + member + ".mase", 2.0);
    }
    flat.put("overall.ensemble.mean_mae", 3.0);
    flat.put("overall.ensemble.mean_mase", 4.62);

    var shown = MetricsFlattening.overall(flat, List.of("USA"), "overall.ensemble.", 5);

    assertThat(shown.keySet())
        .containsExactly(
            "overall.ensemble.mean_mae",
            "overall.ensemble.mean_mase",
            "overall.RandomForest.mean_mae",
            "overall.RandomForest.mean_rmse",
            "overall.RandomForest.mean_mase");
    assertThat(MetricsFlattening.overall(flat, List.of("USA"), null, 100))
        .hasSize(14)
        .doesNotContainKey("perSeries.USA.ETS.mase");
  }
}
