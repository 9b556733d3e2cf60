package dev.almanac.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.almanac.api.v1alpha1.common.ArtifactsSpec;
import dev.almanac.api.v1alpha1.common.MlflowSpec;
import dev.almanac.api.v1alpha1.common.S3Location;
import dev.almanac.api.v1alpha1.common.SecretRef;
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
