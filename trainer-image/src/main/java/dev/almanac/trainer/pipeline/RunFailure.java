package dev.almanac.trainer.pipeline;

/** A failure with a known exit code and a message meant for the user (termination log, Events). */
public final class RunFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ExitCode exitCode;

  public RunFailure(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public RunFailure(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}
