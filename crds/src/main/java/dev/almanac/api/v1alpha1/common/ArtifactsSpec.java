package dev.almanac.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Artifact storage settings (the S3 side of an MLflow artifact root). */
public class ArtifactsSpec {
  @JsonPropertyDescription("S3 store for run artifacts and model bundles.")
  private S3ArtifactStore s3;

  public S3ArtifactStore getS3() {
    return s3;
  }

  public void setS3(S3ArtifactStore s3) {
    this.s3 = s3;
  }
}
