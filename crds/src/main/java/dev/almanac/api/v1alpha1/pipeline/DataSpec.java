package dev.almanac.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Where the training data comes from and which columns matter. */
public class DataSpec {
  @Required
  @JsonPropertyDescription("Exactly one of url, s3, configMapRef, path.")
  private DataSource source;

  @Default("date")
  @JsonPropertyDescription("Date column (ISO yyyy-MM-dd) of forecast data.")
  private String timeColumn;

  @JsonPropertyDescription(
      "Column that identifies a series (e.g. iso_code); omitted means one series.")
  private String seriesColumn;

  @JsonPropertyDescription("Series to train on; omitted means all non-aggregate series.")
  private List<String> series;

  @Required
  @Size(min = 1)
  @JsonPropertyDescription(
      "Forecast: the value column (e.g. new_cases). Classification: the label column (e.g. prognosis).")
  private String target;

  @JsonPropertyDescription(
      "Classification: a separate test split (path or URL); omitted means a stratified split.")
  private String testPath;

  @Pattern("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
  @JsonPropertyDescription(
      "Data cutoff (yyyy-MM-dd, inclusive): forecast rows dated after it are ignored by training, "
          + "batch prediction and evaluation, as if the data ended that day. Omitted means all rows.")
  private String asOf;

  public DataSource getSource() {
    return source;
  }

  public void setSource(DataSource source) {
    this.source = source;
  }

  public String getTimeColumn() {
    return timeColumn;
  }

  public void setTimeColumn(String timeColumn) {
    this.timeColumn = timeColumn;
  }

  public String getSeriesColumn() {
    return seriesColumn;
  }

  public void setSeriesColumn(String seriesColumn) {
    this.seriesColumn = seriesColumn;
  }

  public List<String> getSeries() {
    return series;
  }

  public void setSeries(List<String> series) {
    this.series = series;
  }

  public String getTarget() {
    return target;
  }

  public void setTarget(String target) {
    this.target = target;
  }

  public String getAsOf() {
    return asOf;
  }

  public void setAsOf(String asOf) {
    this.asOf = asOf;
  }

  public String getTestPath() {
    return testPath;
  }

  public void setTestPath(String testPath) {
    this.testPath = testPath;
  }
}
