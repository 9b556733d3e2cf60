package dev.almanac.trainer.pipeline;

/** Process exit codes of the trainer; the operator maps them to run failure reasons. */
public enum ExitCode {
  OK(0),
  INTERNAL(1),
  BAD_SPEC(2),
  DATA_ERROR(3),
  GATE_OR_PARITY_FAILED(4);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
