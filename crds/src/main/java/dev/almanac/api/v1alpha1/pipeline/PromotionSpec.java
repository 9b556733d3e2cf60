package dev.almanac.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
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

  @Default("challenger")
  @Pattern("^[A-Za-z][A-Za-z0-9_-]{0,62}$")
  @JsonPropertyDescription(
      "Registry alias that marks the newest trained version awaiting promotion "
          + "(also tagged almanac.role=challenger).")
  private String challengerAlias;

  @Default("Auto")
  @JsonPropertyDescription(
      "Also move MLflow stages (Staging on registration, Production on promotion): Auto "
          + "while the registry accepts them, Always (a refusal fails the promotion) or Never (aliases only).")
  private StagesPolicy stages;

  public StagesPolicy getStages() {
    return stages;
  }

  public void setStages(StagesPolicy stages) {
    this.stages = stages;
  }

  public String getChallengerAlias() {
    return challengerAlias;
  }

  public void setChallengerAlias(String challengerAlias) {
    this.challengerAlias = challengerAlias;
  }

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
