package dev.almanac.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.almanac.api.v1alpha1.common.S3Location;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;

/** Exactly one data location. */
@ValidationRule(
    value =
        "(has(self.url) ? 1 : 0) + (has(self.s3) ? 1 : 0) + (has(self.configMapRef) ? 1 : 0) + (has(self.path) ? 1 : 0) == 1",
    message = "exactly one of url, s3, configMapRef, path must be set",
    reason = "FieldValueInvalid")
public class DataSource {
  @Pattern("^https?://.+")
  @JsonPropertyDescription("HTTP(S) URL of a CSV (optionally gzip).")
  private String url;

  @JsonPropertyDescription("An object in the pipeline's S3 store.")
  private S3Location s3;

  @JsonPropertyDescription("A key of a ConfigMap in the same namespace.")
  private ConfigMapKeySelector configMapRef;

  @Size(min = 1)
  @JsonPropertyDescription(
      "A file path inside the trainer container (or on the local machine for the CLI).")
  private String path;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public S3Location getS3() {
    return s3;
  }

  public void setS3(S3Location s3) {
    this.s3 = s3;
  }

  public ConfigMapKeySelector getConfigMapRef() {
    return configMapRef;
  }

  public void setConfigMapRef(ConfigMapKeySelector configMapRef) {
    this.configMapRef = configMapRef;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }
}
