package dev.almanac.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The S3 bucket and prefix where model artifacts and batch predictions are stored. */
public class S3ArtifactStore {
  @Required
  @Size(min = 3, max = 63)
  @JsonPropertyDescription("Bucket name.")
  private String bucket;

  @JsonPropertyDescription("Key prefix, e.g. almanac/.")
  private String prefix;

  @Pattern("^https?://.+")
  @JsonPropertyDescription("Endpoint of an S3-compatible store (MinIO, Ceph); omit for AWS S3.")
  private String endpoint;

  @JsonPropertyDescription("Region; defaults to us-east-1.")
  private String region;

  @JsonPropertyDescription("Use path-style addressing (needed by most S3-compatible stores).")
  private Boolean pathStyle;

  @JsonPropertyDescription("Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.")
  private SecretRef credentialsSecretRef;

  public String getBucket() {
    return bucket;
  }

  public void setBucket(String bucket) {
    this.bucket = bucket;
  }

  public String getPrefix() {
    return prefix;
  }

  public void setPrefix(String prefix) {
    this.prefix = prefix;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public Boolean getPathStyle() {
    return pathStyle;
  }

  public void setPathStyle(Boolean pathStyle) {
    this.pathStyle = pathStyle;
  }

  public SecretRef getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(SecretRef credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }
}
