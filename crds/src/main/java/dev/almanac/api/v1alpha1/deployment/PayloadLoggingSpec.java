package dev.almanac.api.v1alpha1.deployment;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.almanac.api.v1alpha1.common.S3Location;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/**
 * Sampled request logging: the model server writes sampled requests and their replies as JSON lines
 * to S3, in batches, asynchronously (a full queue drops records and counts them, it never slows a
 * request).
 */
public class PayloadLoggingSpec {
  @Default("0.01")
  @Min(0)
  @Max(1)
  @JsonPropertyDescription("Fraction of requests logged, 0 to 1 (1: every request).")
  private Double sampleRate;

  @Required
  @JsonPropertyDescription(
      "Bucket and key prefix of the logs: one object per batch, <key>/<yyyy>/<MM>/<dd>/<time>-<pod>-<n>.jsonl.zst (Zstandard-compressed JSON lines). Written with the deployment's artifacts.s3 endpoint and credentials.")
  private S3Location s3;

  @Default("100000")
  @Min(1)
  @Max(1000000)
  @JsonPropertyDescription(
      "Records in finished (compressed) batches of up to 10,000 waiting for their upload; when it is full, or holds 64 MiB, a finished batch is dropped and its records counted.")
  private Integer queueCapacity;

  @Default("10")
  @Min(1)
  @Max(3600)
  @JsonPropertyDescription("A partial batch is written after this many seconds.")
  private Integer flushSeconds;

  public Double getSampleRate() {
    return sampleRate;
  }

  public void setSampleRate(Double sampleRate) {
    this.sampleRate = sampleRate;
  }

  public S3Location getS3() {
    return s3;
  }

  public void setS3(S3Location s3) {
    this.s3 = s3;
  }

  public Integer getQueueCapacity() {
    return queueCapacity;
  }

  public void setQueueCapacity(Integer queueCapacity) {
    this.queueCapacity = queueCapacity;
  }

  public Integer getFlushSeconds() {
    return flushSeconds;
  }

  public void setFlushSeconds(Integer flushSeconds) {
    this.flushSeconds = flushSeconds;
  }
}
