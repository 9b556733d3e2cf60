package dev.almanac.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Batch forecasts after each promotion. */
public class BatchPredictionSpec {
  @Default("false")
  @JsonPropertyDescription("Write batch forecasts after each promotion.")
  private Boolean enabled;

  @Min(1)
  @Max(365)
  @JsonPropertyDescription("Days to forecast; defaults to spec.horizon.")
  private Integer horizon;

  @JsonPropertyDescription(
      "Where to write (defaults to the artifacts store under <prefix>/predictions/).")
  private BatchOutputSpec output;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public Integer getHorizon() {
    return horizon;
  }

  public void setHorizon(Integer horizon) {
    this.horizon = horizon;
  }

  public BatchOutputSpec getOutput() {
    return output;
  }

  public void setOutput(BatchOutputSpec output) {
    this.output = output;
  }
}
