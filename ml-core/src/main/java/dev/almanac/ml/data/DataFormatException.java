package dev.almanac.ml.data;

/**
 * Input data that cannot be used as is: a missing column, a bad date or a non-numeric cell. The
 * message names the file, the line and the column so a user can fix the data without a debugger.
 */
public final class DataFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final long line;
  private final String column;

  public DataFormatException(String file, long line, String column, String problem) {
    super(format(file, line, column, problem));
    this.file = file;
    this.line = line;
    this.column = column;
  }

  public DataFormatException(String file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
    this.line = -1;
    this.column = null;
  }

  private static String format(String file, long line, String column, String problem) {
    StringBuilder sb = new StringBuilder(file);
    if (line > 0) {
      sb.append(", line ").append(line);
    }
    if (column != null) {
      sb.append(", column '").append(column).append('\'');
    }
    return sb.append(": ").append(problem).toString();
  }

  public String file() {
    return file;
  }

  /** 1-based line of the offending record, or -1 when the problem is not tied to a line. */
  public long line() {
    return line;
  }

  public String column() {
    return column;
  }
}
