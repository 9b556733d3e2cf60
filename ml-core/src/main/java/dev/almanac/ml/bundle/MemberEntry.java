package dev.almanac.ml.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.almanac.ml.forecast.EtsModel;
import dev.almanac.ml.forecast.ProphetModel;

/**
 * One ensemble member of a series. Members with {@code inOnnx} are already summed, with their
 * weight, inside the series' ONNX graph; the others (SeasonalNaive, NaiveLast, ETS) are computed by
 * {@link BundleForecaster} from the history and added with {@code weight}. {@code ets} holds the
 * fitted ETS parameters and initial states when {@code type} is ETS; {@code prophet} the fitted
 * Prophet-style model when {@code type} is Prophet.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MemberEntry(
    String type, double weight, boolean inOnnx, EtsModel ets, ProphetModel prophet) {
  public static final String SEASONAL_NAIVE = "SeasonalNaive";
  public static final String NAIVE_LAST = "NaiveLast";
  public static final String ETS = "ETS";
  public static final String PROPHET = "Prophet";

  public MemberEntry(String type, double weight, boolean inOnnx, EtsModel ets) {
    this(type, weight, inOnnx, ets, null);
  }
}
