package dev.almanac.operator;

/** Annotations users set as verbs, and the ones the operator writes. */
public final class Annotations {
  /** Any value starts a run now; the operator records the value it acted on in status. */
  public static final String RUN_NOW = "almanac.dev/run-now";

  /** A version to promote (Manual mode, or an override). */
  public static final String PROMOTE = "almanac.dev/promote";

  /** A version to move the alias and the Production stage back to. */
  public static final String ROLLBACK_TO = "almanac.dev/rollback-to";

  /** On a server pod template: the exact model version, so a new version is a rolling update. */
  public static final String MODEL_VERSION = "almanac.dev/model-version";

  /** On run objects: the scheduled time the run was created for. */
  public static final String SCHEDULED_TIME = "almanac.dev/scheduled-time";

  private Annotations() {}
}
