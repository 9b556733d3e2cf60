package dev.almanac.ml.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.almanac.ml.clean.SeriesScaler;
import java.time.LocalDate;
import java.util.List;

/**
 * What forecasting one series needs: its ONNX file (relative to the bundle), the model-space
 * scaler, the extra feature columns (a global model's one-hot id, else empty), the members, and the
 * cleaned (winsorised) history on the case scale that ends on {@code lastDate}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SeriesEntry(
    String onnx,
    SeriesScaler scaler,
    double[] extra,
    List<MemberEntry> members,
    LocalDate lastDate,
    double[] history) {
  public SeriesEntry {
    members = List.copyOf(members);
    extra = extra == null ? new double[0] : extra;
  }

  public LocalDate firstDate() {
    return lastDate.minusDays(history.length - 1L);
  }
}
