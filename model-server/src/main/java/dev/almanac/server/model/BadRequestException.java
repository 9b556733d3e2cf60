package dev.almanac.server.model;

/** Input the client got wrong; the message names the field and becomes a 4xx JSON error. */
public class BadRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public BadRequestException(String message) {
    this(400, message);
  }

  public BadRequestException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
