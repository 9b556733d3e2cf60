package dev.almanac.trainer.pipeline;

import dev.almanac.ml.forecast.EtsModel;
import dev.almanac.ml.forecast.ProphetModel;
import java.util.Map;

/** One candidate of the spec; {@code name} is unique within a run (type, or type#2 for a repeat). */
public record ModelChoice(String name, String type, Map<String, String> params) {
  public static final String SEASONAL_NAIVE = "SeasonalNaive";
  public static final String ETS = "ETS";
  /** Name of an ETS member with {@code params: {seasonal: multiplicative}}; "ETS" stays the additive baseline. */
  public static final String ETS_MULTIPLICATIVE = "ETSMultiplicative";
  public static final String PROPHET = "Prophet";

  public boolean statistical() {
    return SEASONAL_NAIVE.equals(type) || ETS.equals(type) || PROPHET.equals(type);
  }

  /** The fit settings of a Prophet member (Prophet's defaults, overridden by {@code params}). */
  public ProphetModel.Options prophetOptions() {
    return ProphetModel.Options.parse(params);
  }

  /** The season form of an ETS member ({@link EtsModel#ADDITIVE} unless {@code params.seasonal} says otherwise). */
  public String etsForm() {
    return EtsModel.seasonalForm(params.get("seasonal"));
  }

  /** The name a spec entry is known by before de-duplication: the type, or ETSMultiplicative. */
  static String baseName(String type, Map<String, String> params) {
    if (PROPHET.equals(type)) {
      ProphetModel.Options.parse(params); // a bad parameter is a spec error, reported before any fit
    }
    return ETS.equals(type) && EtsModel.MULTIPLICATIVE.equals(EtsModel.seasonalForm(params.get("seasonal")))
        ? ETS_MULTIPLICATIVE : type;
  }
}
