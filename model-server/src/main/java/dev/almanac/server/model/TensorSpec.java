package dev.almanac.server.model;

import java.util.Arrays;

/** Name, type and shape of a model input or output; -1 marks a dynamic dimension (the batch). */
public record TensorSpec(String name, DataType type, long[] shape) {
  @Override
  public String toString() {
    return name + " " + type + Arrays.toString(shape);
  }
}
