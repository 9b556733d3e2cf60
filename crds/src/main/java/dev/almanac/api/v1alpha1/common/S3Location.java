package dev.almanac.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One object in S3 (or an S3-compatible store). */
public class S3Location {
  @Required
  @Size(min = 3, max = 63)
  @JsonPropertyDescription("Bucket name.")
  private String bucket;

  @Required
  @Size(min = 1)
  @JsonPropertyDescription("Object key (or key prefix for outputs).")
  private String key;

  public String getBucket() {
    return bucket;
  }

  public void setBucket(String bucket) {
    this.bucket = bucket;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }
}
