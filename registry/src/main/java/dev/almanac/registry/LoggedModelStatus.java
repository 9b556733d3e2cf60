package dev.almanac.registry;

/**
 * Where an MLflow 3 logged model stands: {@link #PENDING} while its files go up, {@link #READY}
 * once all are there, {@link #UPLOAD_FAILED} when the upload did not complete (so a half-written
 * model is never READY).
 */
public enum LoggedModelStatus {
  PENDING("LOGGED_MODEL_PENDING"),
  READY("LOGGED_MODEL_READY"),
  UPLOAD_FAILED("LOGGED_MODEL_UPLOAD_FAILED"),
  UNSPECIFIED("LOGGED_MODEL_STATUS_UNSPECIFIED");

  private final String wireName;

  LoggedModelStatus(String wireName) {
    this.wireName = wireName;
  }

  /** The name in MLflow's JSON ({@code LOGGED_MODEL_READY}). */
  public String wireName() {
    return wireName;
  }

  /** Reads MLflow's enum name; an unknown or missing one is {@link #UNSPECIFIED}. */
  public static LoggedModelStatus fromWire(String name) {
    for (var status : values()) {
      if (status.wireName.equals(name)) {
        return status;
      }
    }
    return UNSPECIFIED;
  }
}
