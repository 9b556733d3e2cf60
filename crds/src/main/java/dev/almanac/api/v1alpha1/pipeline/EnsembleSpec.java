package dev.almanac.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** Ensemble of the candidates. */
public class EnsembleSpec {
  @Default("InverseError")
  @JsonPropertyDescription("None picks the best single candidate on the inner validation window.")
  private EnsembleMethod method;

  public EnsembleMethod getMethod() {
    return method;
  }

  public void setMethod(EnsembleMethod method) {
    this.method = method;
  }
}
