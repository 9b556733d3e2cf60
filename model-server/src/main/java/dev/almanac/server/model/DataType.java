package dev.almanac.server.model;

import java.util.Locale;

/** KServe V2 tensor data types the server accepts and returns. */
public enum DataType {
  FP32,
  FP64,
  INT64,
  INT32,
  BOOL;

  public static DataType parse(String name) {
    // the exact names without Enum.valueOf's map lookup and an upper-cased copy: every infer
    // request names them
    return switch (name) {
      case "FP32" -> FP32;
      case "FP64" -> FP64;
      case "INT64" -> INT64;
      case "INT32" -> INT32;
      case "BOOL" -> BOOL;
      default -> anyCase(name);
    };
  }

  private static DataType anyCase(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(
          "unsupported datatype '" + name + "' (supported: FP32, FP64, INT64, INT32, BOOL)");
    }
  }
}
