package dev.almanac.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.almanac.api.v1alpha1.common.S3Location;

/** Output location of batch predictions. */
public class BatchOutputSpec {
  @JsonPropertyDescription("Bucket and key prefix for CSV and JSON outputs.")
  private S3Location s3;

  @JsonPropertyDescription(
      "Also upsert the forecasts into a PostgreSQL table (keyed by pipeline, version, series, date and horizon step).")
  private PostgresOutputSpec postgres;

  public PostgresOutputSpec getPostgres() {
    return postgres;
  }

  public void setPostgres(PostgresOutputSpec postgres) {
    this.postgres = postgres;
  }

  public S3Location getS3() {
    return s3;
  }

  public void setS3(S3Location s3) {
    this.s3 = s3;
  }
}
