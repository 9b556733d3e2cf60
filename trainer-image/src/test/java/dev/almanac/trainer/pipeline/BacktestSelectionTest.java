package dev.almanac.trainer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.almanac.api.v1alpha1.pipeline.EnsembleMethod;
import dev.almanac.api.v1alpha1.pipeline.ModelType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BacktestSelectionTest {
  private static final List<ModelChoice> MEMBERS =
      List.of(
          new ModelChoice("A", ModelType.SeasonalNaive, Map.of()),
          new ModelChoice("B", ModelType.ETS, Map.of()),
          new ModelChoice("C", ModelType.ETS, Map.of("seasonal", "multiplicative")));

  /** One series, actual 100 every day; each member's path is 100 + its bias. */
  private static Backtest backtest(double biasA, double biasB, double biasC, double scale) {
    double[] actual = {100, 100, 100, 100};
    return new Backtest(
        List.of(),
        Map.of(),
        List.of(
            Map.of(
                "A",
                shifted(actual, biasA),
                "B",
                shifted(actual, biasB),
                "C",
                shifted(actual, biasC))),
        List.of(actual),
        new double[] {scale},
        new double[] {scale});
  }

  private static double[] shifted(double[] a, double by) {
    return java.util.Arrays.stream(a).map(x -> x + by).toArray();
  }

  @Test
  void aMemberThatBeatsEveryBlendOnTheBacktestsIsPromotedAlone() {
    // every member over-forecasts, A least: any blend is further off than A
    List<Backtest> bts = List.of(backtest(1, 20, 30, 10), backtest(2, 25, 30, 10));
    double[] w = BacktestSelection.choose(EnsembleMethod.InverseError, MEMBERS, bts);
    assertThat(w).containsExactly(1.0, 0.0, 0.0);
  }

  @Test
  void membersWhoseErrorsCancelAreBlendedWithInverseErrorWeights() {
    // B over-forecasts by 10, C under-forecasts by 10: their blend is exact, A is off by 30.
    List<Backtest> bts = List.of(backtest(30, 10, -10, 5), backtest(-30, 10, -10, 5));
    double[] w = BacktestSelection.choose(EnsembleMethod.InverseError, MEMBERS, bts);
    assertThat(w[0]).isZero();
    assertThat(w[1]).isCloseTo(0.5, within(1e-12));
    assertThat(w[2]).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void errorsAreScaledPerSeriesSoALargeSeriesDoesNotDecideAlone() {
    // Window 1 (scale 1000): A off by 100, B by 200 → scaled 0.1 vs 0.2.
    // Window 2 (scale 1): A off by 5, B by 1 → scaled 5 vs 1. Unscaled MAE prefers A, MASE prefers
    // B.
    Backtest big = backtest(100, 200, 900, 1000);
    Backtest small = backtest(5, 1, 90, 1);
    double[] w = BacktestSelection.choose(EnsembleMethod.None, MEMBERS, List.of(big, small));
    assertThat(w).containsExactly(0.0, 1.0, 0.0);
  }

  @Test
  void meanWeighsAllMembersAlike() {
    double[] w =
        BacktestSelection.choose(EnsembleMethod.Mean, MEMBERS, List.of(backtest(1, 2, 3, 1)));
    assertThat(w).containsExactly(1 / 3.0, 1 / 3.0, 1 / 3.0);
  }
}
