package dev.almanac.api.v1alpha1.deployment;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A registered model and exactly one way to pick its version. */
@ValidationRule(
    value =
        "(has(self.alias) ? 1 : 0) + (has(self.version) ? 1 : 0) + (has(self.stage) ? 1 : 0) == 1",
    message = "exactly one of alias, version, stage must be set",
    reason = "FieldValueInvalid")
public class ModelRef {
  @Required
  @Pattern("^[A-Za-z0-9][A-Za-z0-9._-]{0,255}$")
  @JsonPropertyDescription("Registered model name.")
  private String registeredModel;

  @Pattern("^[A-Za-z][A-Za-z0-9_-]{0,62}$")
  @JsonPropertyDescription("Follow an alias (e.g. production).")
  private String alias;

  @Pattern("^[1-9][0-9]*$")
  @JsonPropertyDescription("Pin an exact version.")
  private String version;

  @JsonPropertyDescription("Follow a stage (deprecated in MLflow; aliases are preferred).")
  private Stage stage;

  public String getRegisteredModel() {
    return registeredModel;
  }

  public void setRegisteredModel(String registeredModel) {
    this.registeredModel = registeredModel;
  }

  public String getAlias() {
    return alias;
  }

  public void setAlias(String alias) {
    this.alias = alias;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public Stage getStage() {
    return stage;
  }

  public void setStage(Stage stage) {
    this.stage = stage;
  }
}
