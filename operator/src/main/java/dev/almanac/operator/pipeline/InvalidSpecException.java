package dev.almanac.operator.pipeline;

/**
 * A spec the CRD schema cannot reject (bad cron values, unknown time zone, holdout longer than the
 * data). The user must edit the spec: the reconciler records it and does not retry.
 */
public final class InvalidSpecException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String field;

  public InvalidSpecException(String field, String message) {
    super("spec." + field + ": " + message);
    this.field = field;
  }

  /** The offending field, relative to {@code spec} (e.g. {@code schedule}, {@code timeZone}). */
  public String field() {
    return field;
  }
}
