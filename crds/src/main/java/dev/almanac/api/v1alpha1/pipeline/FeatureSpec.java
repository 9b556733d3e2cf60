package dev.almanac.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Features computed from each series; every feature can be computed at forecast time. */
public class FeatureSpec {
  @Size(max = 16)
  @JsonPropertyDescription("Lag days; default [1, 7, 14].")
  private List<Integer> lags;

  @Size(max = 8)
  @JsonPropertyDescription("Rolling mean/std windows (shifted by one day); default [7, 14].")
  private List<Integer> rollingWindows;

  @Default("true")
  @JsonPropertyDescription("Day of week, week of year, month, weekend.")
  private Boolean calendar;

  @Default("true")
  @JsonPropertyDescription("First difference and percent change.")
  private Boolean differences;

  public List<Integer> getLags() {
    return lags;
  }

  public void setLags(List<Integer> lags) {
    this.lags = lags;
  }

  public List<Integer> getRollingWindows() {
    return rollingWindows;
  }

  public void setRollingWindows(List<Integer> rollingWindows) {
    this.rollingWindows = rollingWindows;
  }

  public Boolean getCalendar() {
    return calendar;
  }

  public void setCalendar(Boolean calendar) {
    this.calendar = calendar;
  }

  public Boolean getDifferences() {
    return differences;
  }

  public void setDifferences(Boolean differences) {
    this.differences = differences;
  }
}
