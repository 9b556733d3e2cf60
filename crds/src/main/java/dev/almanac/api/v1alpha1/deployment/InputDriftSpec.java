package dev.almanac.api.v1alpha1.deployment;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Input drift of a classifier: request symptom frequencies against the training frequencies stored
 * in the model bundle, as PSI per symptom over windows of requests.
 */
public class InputDriftSpec {
  @Default("1000")
  @Min(10)
  @Max(10000000)
  @JsonPropertyDescription(
      "Requests per drift window; the PSI gauges show the last finished window (smaller reacts faster, larger is less noisy).")
  private Integer windowRequests;

  public Integer getWindowRequests() {
    return windowRequests;
  }

  public void setWindowRequests(Integer windowRequests) {
    this.windowRequests = windowRequests;
  }
}
