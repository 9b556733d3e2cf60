package dev.almanac.trainer.batch;

/**
 * Batch predictions could not be stored; the message names the database and the cause, never a
 * password.
 */
public final class PredictionSinkException extends RuntimeException {
  public PredictionSinkException(String message, Throwable cause) {
    super(message, cause);
  }
}
