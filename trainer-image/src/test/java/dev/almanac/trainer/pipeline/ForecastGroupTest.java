package dev.almanac.trainer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.almanac.api.v1alpha1.pipeline.EnsembleMethod;
import dev.almanac.api.v1alpha1.pipeline.ModelType;
import dev.almanac.api.v1alpha1.pipeline.Task;
import dev.almanac.ml.bundle.BundleForecaster;
import dev.almanac.ml.bundle.MemberEntry;
import dev.almanac.ml.bundle.SeriesEntry;
import dev.almanac.ml.clean.RegularSeries;
import dev.almanac.ml.features.FeaturePipeline;
import dev.almanac.ml.features.FeatureSpec;
import dev.almanac.ml.forecast.EtsModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForecastGroupTest {
  static final int H = 20;

  static ForecastSettings settings(
      boolean global, EnsembleMethod method, List<ModelChoice> models) {
    return new ForecastSettings(
        "p",
        "m",
        Task.FORECAST,
        Path.of("x"),
        null,
        "date",
        "id",
        "y",
        List.of(),
        FeatureSpec.defaults(),
        models,
        global,
        method,
        7,
        H,
        "MASE",
        null,
        true,
        5,
        null);
  }

  static List<ModelChoice> models(String... types) {
    return java.util.Arrays.stream(types)
        .map(
            t ->
                new ModelChoice(
                    t,
                    ModelType.valueOf(t),
                    t.equals("RandomForest") || t.equals("LightGBM")
                        ? Map.of("n_estimators", "10")
                        : Map.of()))
        .toList();
  }

  static RegularSeries series(String id, int n, double level, double holdoutValue) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = i >= n - H ? holdoutValue : level + i + 15 * Math.sin(i * 2 * Math.PI / 7) + (i % 11);
    }
    return new RegularSeries(id, LocalDate.of(2020, 6, 1), v, 0, 0, 0);
  }

  private static ForecastGroup group(ForecastSettings s, List<RegularSeries> bases) {
    FeaturePipeline fp =
        new FeaturePipeline(
            FeatureSpec.defaults(),
            s.global() ? bases.stream().map(b -> "series_" + b.id()).toList() : List.of());
    return new ForecastGroup(s, bases, fp, bases.stream().map(RegularSeries::id).toList(), 42, 1);
  }

  private static ForecastGroup.Validation validate(ForecastSettings s, List<RegularSeries> bases) {
    return group(s, bases).validate();
  }

  @Test
  void noHoldoutValueReachesAModelAScalerOrTheEnsembleWeights() {
    for (boolean global : new boolean[] {false, true}) {
      ForecastSettings s =
          settings(
              global,
              EnsembleMethod.InverseError,
              models("Linear", "RandomForest", "SeasonalNaive", "ETS"));
      ForecastGroup.Validation a =
          validate(s, List.of(series("A", 150, 100, 0), series("B", 150, 300, 0)));
      ForecastGroup.Validation b =
          validate(s, List.of(series("A", 150, 100, 1e7), series("B", 150, 300, 5e6)));
      assertThat(b.weights()).containsExactly(a.weights());
      assertThat(b.validationMae()).isEqualTo(a.validationMae());
      for (int i = 0; i < 2; i++) {
        SeriesOutcome x = a.outcomes().get(i);
        SeriesOutcome y = b.outcomes().get(i);
        assertThat(y.actual()).isNotEqualTo(x.actual());
        assertThat(y.maseScale()).isEqualTo(x.maseScale());
        for (String model : x.forecasts().keySet()) {
          assertThat(y.forecasts().get(model))
              .as(model + " global=" + global)
              .containsExactly(x.forecasts().get(model));
        }
      }
    }
  }

  @Test
  void ensembleIsRecursedAsAModelAndWeightsFollowTheMethod() {
    List<ModelChoice> ms = models("Linear", "SeasonalNaive");
    ForecastGroup.Validation inv =
        validate(
            settings(false, EnsembleMethod.InverseError, ms), List.of(series("A", 150, 100, 50)));
    // InverseError: inverse backtest-error weights over the best subset (a single member is one)
    double ia = 1 / inv.backtestMase().get("Linear");
    double ib = 1 / inv.backtestMase().get("SeasonalNaive");
    assertThat(inv.weights()[0])
        .satisfiesAnyOf(
            w -> assertThat(w).isCloseTo(ia / (ia + ib), within(1e-12)),
            w -> assertThat(w).isIn(0.0, 1.0));
    assertThat(inv.weights()[0] + inv.weights()[1]).isCloseTo(1.0, within(1e-12));
    ForecastGroup.Validation none =
        validate(settings(false, EnsembleMethod.None, ms), List.of(series("A", 150, 100, 50)));
    assertThat(none.weights()).containsAnyOf(1.0).contains(0.0);
    ForecastGroup.Validation mean =
        validate(settings(false, EnsembleMethod.Mean, ms), List.of(series("A", 150, 100, 50)));
    assertThat(mean.weights()).containsExactly(0.5, 0.5);
    // With weights 1/0 the ensemble equals the chosen member exactly; recursion feeds the
    // ensemble's own output back.
    String best = none.weights()[0] == 1.0 ? "Linear" : "SeasonalNaive";
    assertThat(none.outcomes().get(0).forecasts().get("ensemble"))
        .containsExactly(none.outcomes().get(0).forecasts().get(best), within(1e-9));
    assertThat(inv.parityRows()).hasSize(H);
  }

  @Test
  void sameSeedGivesIdenticalForecasts() {
    ForecastSettings s =
        settings(false, EnsembleMethod.InverseError, models("RandomForest", "LightGBM", "ETS"));
    ForecastGroup.Validation a = validate(s, List.of(series("A", 150, 100, 50)));
    ForecastGroup.Validation b = validate(s, List.of(series("A", 150, 100, 50)));
    for (String m : a.outcomes().get(0).forecasts().keySet()) {
      assertThat(b.outcomes().get(0).forecasts().get(m))
          .as(m)
          .containsExactly(a.outcomes().get(0).forecasts().get(m));
    }
  }

  private static double[] floorAt0(double[] v) {
    return java.util.Arrays.stream(v).map(x -> Math.max(0, x)).toArray();
  }

  @Test
  void multiplicativeEtsIsAMemberBesideTheAdditiveBaselineAndIsServedAsTrained() {
    List<ModelChoice> ms =
        List.of(
            new ModelChoice("RandomForest", ModelType.RandomForest, Map.of("n_estimators", "10")),
            new ModelChoice("SeasonalNaive", ModelType.SeasonalNaive, Map.of()),
            new ModelChoice(
                ModelChoice.ETS_MULTIPLICATIVE,
                ModelType.ETS,
                Map.of("seasonal", "multiplicative")));
    List<RegularSeries> bases = List.of(series("A", 150, 100, 80), series("B", 150, 300, 250));
    ForecastGroup group = group(settings(true, EnsembleMethod.InverseError, ms), bases);
    ForecastGroup.Validation g = group.validate();
    assertThat(g.validationMae())
        .containsOnlyKeys("RandomForest", "SeasonalNaive", "ETSMultiplicative");
    assertThat(g.innerEnsembleMae()).isFinite().isPositive();
    for (int i = 0; i < 2; i++) {
      Map<String, double[]> fc = g.outcomes().get(i).forecasts();
      // The additive ETS stays a reported baseline; the member is the multiplicative one, fitted on
      // the same history.
      assertThat(fc)
          .containsKeys("ETS", "ETSMultiplicative", "SeasonalNaive", "NaiveLast", "ensemble");
      double[] cases = PreparedSeries.cut(bases.get(i), 150 - H, true, null).cases();
      assertThat(fc.get("ETSMultiplicative"))
          .containsExactly(
              floorAt0(EtsModel.fit(cases, EtsModel.MULTIPLICATIVE).forecast(cases, H)),
              within(1e-9));
      assertThat(fc.get("ETSMultiplicative")).isNotEqualTo(fc.get("ETS"));
    }
    ForecastGroup.Refit refit = group.refit("model.onnx", g);
    assertThat(refit.onnx()).isNotEmpty();
    assertThat(refit.parityNative()).hasSameSizeAs(g.parityRows());
    for (SeriesEntry e : refit.entries().values()) {
      MemberEntry ets = e.members().get(2);
      assertThat(ets.type()).isEqualTo(MemberEntry.ETS);
      assertThat(ets.ets().multiplicative()).isTrue();
      // The server's path of the member equals the trainer's computation on the stored history.
      assertThat(BundleForecaster.statisticalPath(ets, e.history(), 14))
          .containsExactly(
              floorAt0(
                  EtsModel.fit(e.history(), EtsModel.MULTIPLICATIVE).forecast(e.history(), 14)),
              within(1e-9));
    }
  }

  @Test
  void backtestsUseSeveralOriginsInsideTheTrainingPartAndGiveOneResidualRowPerWindow() {
    List<RegularSeries> bases = List.of(series("A", 200, 100, 50), series("B", 200, 300, 70));
    ForecastGroup.Validation v =
        validate(
            settings(true, EnsembleMethod.InverseError, models("RandomForest", "SeasonalNaive")),
            bases);
    assertThat(v.origins()).isGreaterThanOrEqualTo(2);
    assertThat(v.scaledResiduals()).hasSize(v.origins() * bases.size());
    assertThat(v.scaledResiduals()).allSatisfy(r -> assertThat(r).hasSize(H));
    assertThat(v.backtestMase()).containsKeys("RandomForest", "SeasonalNaive", "ensemble");
  }

  @TempDir Path tmp;

  @Test
  void aSeasonalParameterNamesTheMemberAndABadOneIsABadSpec() throws Exception {
    String spec =
        """
        apiVersion: almanac.dev/v1alpha1
        kind: ForecastPipeline
        metadata: {name: p}
        spec:
          task: forecast
          data: {source: {path: x.csv}, seriesColumn: id, target: y}
          models: [{type: RandomForest}, {type: ETS}, {type: ETS, params: {seasonal: multiplicative}}, {type: ETS, params: {seasonal: mul}}]
        """;
    Path f = tmp.resolve("p.yaml");
    Files.writeString(f, spec);
    ForecastSettings s = ForecastSettings.from(SpecLoader.load(f), tmp.resolve("x.csv"));
    assertThat(s.models())
        .extracting(ModelChoice::name)
        .containsExactly("RandomForest", "ETS", "ETSMultiplicative", "ETSMultiplicative#2");
    assertThat(s.models().get(2).etsForm()).isEqualTo(EtsModel.MULTIPLICATIVE);
    assertThat(s.models().get(1).etsForm()).isEqualTo(EtsModel.ADDITIVE);
    Files.writeString(f, spec.replace("seasonal: mul}", "seasonal: log}"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ForecastSettings.from(SpecLoader.load(f), tmp.resolve("x.csv")))
        .isInstanceOf(RunFailure.class)
        .hasMessageContaining(
            "spec.models ETS.params: seasonal must be additive or multiplicative");
  }
}
