package dev.almanac.api.v1alpha1.deployment;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Dynamic batching. */
public class BatchingSpec {
  @Default("32")
  @Min(1)
  @Max(1024)
  @JsonPropertyDescription("Largest batch.")
  private Integer maxBatchSize;

  @Default("0")
  @Min(0)
  @Max(1000)
  @JsonPropertyDescription(
      "How long a batch waits after its first request for more to join (0: batch what an event loop reads together, never wait).")
  private Integer maxDelayMillis;

  public Integer getMaxBatchSize() {
    return maxBatchSize;
  }

  public void setMaxBatchSize(Integer maxBatchSize) {
    this.maxBatchSize = maxBatchSize;
  }

  public Integer getMaxDelayMillis() {
    return maxDelayMillis;
  }

  public void setMaxDelayMillis(Integer maxDelayMillis) {
    this.maxDelayMillis = maxDelayMillis;
  }
}
