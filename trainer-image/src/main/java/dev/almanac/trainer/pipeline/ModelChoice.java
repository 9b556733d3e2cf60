package dev.almanac.trainer.pipeline;

import dev.almanac.api.v1alpha1.pipeline.ModelType;
import dev.almanac.ml.forecast.EtsModel;
import dev.almanac.ml.forecast.ProphetModel;
import java.util.Map;

/**
 * One candidate of the spec; {@code name} is unique within a run (type, or type#2 for a repeat).
 */
public record ModelChoice(String name, ModelType type, Map<String, String> params) {
  public static final String SEASONAL_NAIVE = ModelType.SeasonalNaive.name();
  public static final String ETS = ModelType.ETS.name();

  /**
   * Name of an ETS member with {@code params: {seasonal: multiplicative}}; "ETS" stays the additive
   * baseline.
   */
  public static final String ETS_MULTIPLICATIVE = "ETSMultiplicative";

  public static final String PROPHET = ModelType.Prophet.name();

  public boolean statistical() {
    return type.statistical();
  }

  /** The fit settings of a Prophet member (Prophet's defaults, overridden by {@code params}). */
  public ProphetModel.Options prophetOptions() {
    return ProphetModel.Options.parse(params);
  }

  /**
   * The season form of an ETS member ({@link EtsModel#ADDITIVE} unless {@code params.seasonal} says
   * otherwise).
   */
  public String etsForm() {
    return EtsModel.seasonalForm(params.get("seasonal"));
  }

  /** The name a spec entry is known by before de-duplication: the type, or ETSMultiplicative. */
  static String baseName(ModelType type, Map<String, String> params) {
    if (type == ModelType.Prophet) {
      ProphetModel.Options.parse(
          params); // a bad parameter is a spec error, reported before any fit
    }
    return type == ModelType.ETS
            && EtsModel.MULTIPLICATIVE.equals(EtsModel.seasonalForm(params.get("seasonal")))
        ? ETS_MULTIPLICATIVE
        : type.name();
  }
}
