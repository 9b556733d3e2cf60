package dev.almanac.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/** One candidate model. */
public class ModelSpec {
  @Required
  @JsonPropertyDescription("Model family.")
  private ModelType type;

  @JsonPropertyDescription(
      "Hyperparameters as strings (e.g. alpha: \"1.0\", n_estimators: \"100\").")
  private Map<String, String> params;

  public ModelType getType() {
    return type;
  }

  public void setType(ModelType type) {
    this.type = type;
  }

  public Map<String, String> getParams() {
    return params;
  }

  public void setParams(Map<String, String> params) {
    this.params = params;
  }
}
