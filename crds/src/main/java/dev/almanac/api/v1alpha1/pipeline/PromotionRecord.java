package dev.almanac.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One promotion, rollback or blocked promotion. */
public class PromotionRecord {
  @JsonPropertyDescription("Version concerned.")
  private String version;

  @JsonPropertyDescription("Previous production version.")
  private String from;

  @JsonPropertyDescription("New production version.")
  private String to;

  @JsonPropertyDescription("When (RFC 3339).")
  private String time;

  @JsonPropertyDescription("Promoted, RolledBack, ManualPromotion, GateFailed.")
  private String reason;

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public String getFrom() {
    return from;
  }

  public void setFrom(String from) {
    this.from = from;
  }

  public String getTo() {
    return to;
  }

  public void setTo(String to) {
    this.to = to;
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
