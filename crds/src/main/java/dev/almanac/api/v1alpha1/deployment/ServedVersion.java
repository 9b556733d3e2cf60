package dev.almanac.api.v1alpha1.deployment;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One version that was served. */
public class ServedVersion {
  @JsonPropertyDescription("Registry version.")
  private String version;

  @JsonPropertyDescription("When it started serving.")
  private String time;

  @JsonPropertyDescription("Why (Promoted, RolledBack, SpecChanged, Initial).")
  private String reason;

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public String getTime() {
    return time;
  }

  public void setTime(String time) {
    this.time = time;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }
}
