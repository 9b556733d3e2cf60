package dev.almanac.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.almanac.api.v1alpha1.common.ArtifactsSpec;
import dev.almanac.api.v1alpha1.common.MlflowSpec;
import dev.almanac.api.v1alpha1.common.S3Location;
import dev.almanac.api.v1alpha1.common.SecretRef;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** How a validated version is promoted. */
public class PromotionSpec {
  @Default("Automatic")
  @JsonPropertyDescription("Automatic or Manual (annotation almanac.dev/promote=<version>).")
  private PromotionMode mode;

  @Default("production")
  @Pattern("^[A-Za-z][A-Za-z0-9_-]{0,62}$")
  @JsonPropertyDescription("Registry alias moved to the promoted version.")
  private String alias;

  public PromotionMode getMode() {
    return mode;
  }

  public void setMode(PromotionMode mode) {
    this.mode = mode;
  }

  public String getAlias() {
    return alias;
  }

  public void setAlias(String alias) {
    this.alias = alias;
  }
}
