package dev.almanac.api.v1alpha1.deployment;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The model server's admin port (KServe repository routes: index, load), behind a bearer token. Off
 * by default; never part of the Service.
 */
@ValidationRule(
    value = "!has(self.enabled) || !self.enabled || has(self.tokenSecret)",
    message =
        "server.admin.enabled needs server.admin.tokenSecret (a Secret with the bearer token)",
    fieldPath = ".tokenSecret",
    reason = "FieldValueRequired")
public class AdminPortSpec {
  @Default("false")
  @JsonPropertyDescription("Open the admin port (8081) on the server pods.")
  private Boolean enabled;

  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription(
      "Secret in the same namespace holding the bearer token; mounted read-only. Required when "
          + "enabled.")
  private String tokenSecret;

  @Default("token")
  @Pattern("^[-._a-zA-Z0-9]+$")
  @JsonPropertyDescription("Key of the token in tokenSecret.")
  private String tokenKey;

  public AdminPortSpec() {}

  public AdminPortSpec(String tokenSecret) {
    this.enabled = true;
    this.tokenSecret = tokenSecret;
  }

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public String getTokenSecret() {
    return tokenSecret;
  }

  public void setTokenSecret(String tokenSecret) {
    this.tokenSecret = tokenSecret;
  }

  public String getTokenKey() {
    return tokenKey;
  }

  public void setTokenKey(String tokenKey) {
    this.tokenKey = tokenKey;
  }
}
