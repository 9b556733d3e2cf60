package dev.almanac.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.almanac.api.v1alpha1.common.Reason;
import java.util.Arrays;

/**
 * How a version became Production. The lower-case {@link #wireName()} is the {@code kind} label of
 * {@code almanac_promotions_total} and of promotion listeners; {@link #reason()} is what {@code
 * status.promotions[].reason} records.
 */
public enum PromotionKind {
  /** Gates passed with promotion mode Automatic. */
  AUTOMATIC("automatic", Reason.Promoted),
  /** The {@code almanac.dev/promote} annotation. */
  MANUAL("manual", Reason.ManualPromotion),
  /** The {@code almanac.dev/rollback-to} annotation. */
  ROLLBACK("rollback", Reason.RolledBack);

  private final String wireName;
  private final Reason reason;

  PromotionKind(String wireName, Reason reason) {
    this.wireName = wireName;
    this.reason = reason;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  public Reason reason() {
    return reason;
  }

  @JsonCreator
  public static PromotionKind fromWireName(String value) {
    return Arrays.stream(values())
        .filter(k -> k.wireName.equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown promotion kind '" + value + "'"));
  }
}
