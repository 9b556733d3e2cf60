package dev.almanac.server.model;

import java.util.Locale;

/** KServe V2 tensor data types the server accepts and returns. */
public enum DataType {
  FP32, FP64, INT64, INT32, BOOL;

  public static DataType parse(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("unsupported datatype '" + name + "' (supported: FP32, FP64, INT64, INT32, BOOL)");
    }
  }
}
