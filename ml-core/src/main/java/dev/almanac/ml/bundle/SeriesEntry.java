package dev.almanac.ml.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.almanac.ml.clean.SeriesScaler;
import dev.almanac.ml.intervals.IntervalBands;
import java.time.LocalDate;
import java.util.List;

/**
 * What forecasting one series needs: its ONNX file (relative to the bundle), the model-space
 * scaler, the extra feature columns (a global model's one-hot id, else empty), the members, and the
 * cleaned (winsorised) history on the case scale that ends on {@code lastDate}, and (since the
 * intervals change, additive: older bundles have none) the prediction-interval widths per step.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SeriesEntry(
    String onnx,
    SeriesScaler scaler,
    double[] extra,
    List<MemberEntry> members,
    LocalDate lastDate,
    double[] history,
    IntervalBands intervals) {
  public SeriesEntry {
    members = List.copyOf(members);
    extra = extra == null ? new double[0] : extra;
  }

  /** An entry without prediction intervals. */
  public SeriesEntry(
      String onnx,
      SeriesScaler scaler,
      double[] extra,
      List<MemberEntry> members,
      LocalDate lastDate,
      double[] history) {
    this(onnx, scaler, extra, members, lastDate, history, null);
  }

  /** This entry with {@code bands} as its prediction intervals. */
  public SeriesEntry withIntervals(IntervalBands bands) {
    return new SeriesEntry(onnx, scaler, extra, members, lastDate, history, bands);
  }

  public LocalDate firstDate() {
    return lastDate.minusDays(history.length - 1L);
  }
}
