package dev.almanac.server.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.almanac.server.model.BadRequestException;
import dev.almanac.server.model.DataType;
import dev.almanac.server.model.Tensor;
import dev.almanac.server.model.TensorSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A KServe Open Inference Protocol v2 infer request as read from its JSON, before it is checked
 * against a model (which {@link #tensors}, {@link #wanted} and {@link #binaryOutputs} do).
 *
 * @param id echoed in the reply; may be null
 * @param inputs null when the body has none
 * @param outputs the outputs asked for, null for all
 * @param binaryDataOutput {@code parameters.binary_data_output}: every output as binary data
 */
record InferRequest(String id, List<Input> inputs, List<Output> outputs, boolean binaryDataOutput) {
  private static final List<String> FIELDS = List.of("id", "inputs", "outputs", "parameters");
  private static final List<String> TENSOR_FIELDS =
      List.of("name", "datatype", "shape", "data", "parameters");

  /**
   * One input tensor.
   *
   * @param data the values as the datatype's array; null when they follow the JSON as binary data
   * @param binaryDataSize {@code parameters.binary_data_size}, null for JSON data
   * @param where names the input in errors: {@code inputs[0] ('features')}
   */
  record Input(
      int index,
      String name,
      DataType type,
      long[] shape,
      Object data,
      Long binaryDataSize,
      String where) {

    /**
     * The tensor, checked against the model input {@code spec}; binary data is read from {@code
     * binary}.
     */
    Tensor tensor(TensorSpec spec, BinaryTensorData binary) {
      if (type != spec.type()) {
        throw new BadRequestException(
            where + ": datatype " + type + " does not match the model input type " + spec.type());
      }
      if (shape.length != spec.shape().length) {
        throw new BadRequestException(
            where
                + ": shape "
                + Arrays.toString(shape)
                + " has rank "
                + shape.length
                + ", the model expects "
                + Arrays.toString(spec.shape()));
      }
      for (int d = 0; d < shape.length; d++) {
        if (spec.shape()[d] >= 0 && spec.shape()[d] != shape[d]) {
          throw new BadRequestException(
              where
                  + ": shape "
                  + Arrays.toString(shape)
                  + " does not match the model input shape "
                  + Arrays.toString(spec.shape())
                  + " (dimension "
                  + d
                  + ")");
        }
      }
      if (shape.length > 0 && shape[0] == 0) {
        throw new BadRequestException(where + ": the batch dimension is 0");
      }
      long elements = Tensor.elements(shape);
      if (binaryDataSize != null) {
        return new Tensor(name, type, shape, binary.next(binaryDataSize, type, elements, where));
      }
      if (Tensor.length(data) != elements) {
        throw new BadRequestException(
            where
                + ": shape "
                + Arrays.toString(shape)
                + " needs "
                + elements
                + " values, 'data' has "
                + Tensor.length(data));
      }
      return new Tensor(name, type, shape, data);
    }
  }

  /**
   * One output asked for, and whether its data goes after the JSON as bytes ({@code
   * parameters.binary_data}).
   */
  record Output(String name, boolean binaryData) {}

  static InferRequest read(JsonBody body) throws IOException {
    String id = null;
    List<Input> inputs = null;
    List<Output> outputs = null;
    boolean binaryDataOutput = false;
    JsonBody.Fields fields = body.fields("", FIELDS);
    for (String f; (f = fields.next()) != null; ) {
      switch (f) {
        case "id" -> id = body.string("", f);
        case "inputs" -> inputs = body.array("", f) ? inputs(body) : null;
        case "outputs" -> outputs = body.array("", f) ? outputs(body) : null;
        default -> binaryDataOutput = wantsBinary(body, "", "binary_data_output");
      }
    }
    return new InferRequest(id, inputs, outputs, binaryDataOutput);
  }

  private static List<Input> inputs(JsonBody body) throws IOException {
    List<Input> inputs = new ArrayList<>(2);
    while (body.nextElement()) {
      inputs.add(input(body, inputs.size()));
    }
    return inputs;
  }

  private static Input input(JsonBody body, int i) throws IOException {
    String where = where(i, null);
    if (!body.object(where, null)) {
      throw new BadRequestException(where + " must be an object, got null");
    }
    JsonParser p = body.parser();
    String name = null;
    DataType type = null;
    long[] shape = null;
    Object data = null;
    TokenBuffer early =
        null; // data that came before the name and datatype: read once they are known
    Long binaryDataSize = null;
    JsonBody.Fields fields = body.fields(where, TENSOR_FIELDS);
    for (String f; (f = fields.next()) != null; ) {
      switch (f) {
        case "name" -> {
          name = body.string(where, f);
          where = where(i, name);
        }
        case "datatype" -> {
          String t = body.string(where, f);
          type = t == null ? null : DataType.parse(t);
        }
        case "shape" -> shape = body.array(where, f) ? shape(body, where) : null;
        case "data" -> {
          if (body.array(where, f)) {
            if (name != null && type != null) {
              data = TensorData.read(p, type, capacity(body, shape), where);
            } else {
              early = TokenBuffer.asCopyOfValue(p);
            }
          }
        }
        default -> binaryDataSize = binaryDataSize(body, where);
      }
    }
    if (name == null) {
      throw new BadRequestException(where + ": field 'name' is required");
    }
    if (type == null) {
      throw new BadRequestException(where + ": field 'datatype' is required");
    }
    if (shape == null) {
      throw new BadRequestException(where + ": field 'shape' is required");
    }
    if (early != null) {
      try (JsonParser replay = early.asParserOnFirstToken()) {
        data = TensorData.read(replay, type, capacity(body, shape), where);
      }
    }
    if (binaryDataSize != null && data != null) {
      throw new BadRequestException(where + ": has both 'data' and parameters.binary_data_size");
    }
    if (binaryDataSize == null && data == null) {
      throw new BadRequestException(
          where + ": field 'data' is required (or parameters.binary_data_size for binary data)");
    }
    return new Input(i, name, type, shape, data, binaryDataSize, where);
  }

  private static String where(int i, String name) {
    return name == null ? "inputs[" + i + "]" : "inputs[" + i + "] ('" + name + "')";
  }

  /**
   * The values the shape asks for, bounded by what the body can hold (a value takes at least two
   * bytes).
   */
  private static int capacity(JsonBody body, long[] shape) {
    return shape == null ? 16 : (int) Math.min(Tensor.elements(shape), body.length() / 2 + 1);
  }

  private static long[] shape(JsonBody body, String where) throws IOException {
    long[] dims = new long[4];
    int n = 0;
    long elements = 1;
    while (body.nextElement()) {
      Long d = JsonBody.integral(body.parser());
      if (d == null || d < 0 || d > TensorData.MAX_ELEMENTS) {
        throw new BadRequestException(
            where
                + ": shape["
                + n
                + "] must be a non-negative integer, got "
                + JsonBody.describe(body.parser()));
      }
      if (n == dims.length) {
        dims = Arrays.copyOf(dims, n * 2);
      }
      dims[n++] = d;
      elements *= d;
      if (elements > TensorData.MAX_ELEMENTS) {
        throw new BadRequestException(
            where
                + ": shape "
                + Arrays.toString(Arrays.copyOf(dims, n))
                + " has too many elements");
      }
    }
    return Arrays.copyOf(dims, n);
  }

  private static Long binaryDataSize(JsonBody body, String where) throws IOException {
    if (!body.object(where, "parameters")) {
      return null;
    }
    Long size = null;
    for (String f; (f = body.nextField()) != null; ) {
      if (f.equals("binary_data_size")) {
        size = body.integer(where, "parameters.binary_data_size", 0, Integer.MAX_VALUE);
      } else {
        body.skip();
      }
    }
    return size;
  }

  private static List<Output> outputs(JsonBody body) throws IOException {
    List<Output> outputs = new ArrayList<>(2);
    while (body.nextElement()) {
      String where = "outputs[" + outputs.size() + "]";
      if (!body.object(where, null)) {
        throw new BadRequestException(where + " must be an object, got null");
      }
      String name = null;
      boolean binary = false;
      for (String f; (f = body.nextField()) != null; ) {
        switch (f) {
          case "name" -> name = body.string(where, f);
          case "parameters" -> binary = wantsBinary(body, where, "binary_data");
          default ->
              body.skip(); // e.g. the classification extension's parameters: not served, ignored
        }
      }
      if (name == null) {
        throw new BadRequestException(where + ": field 'name' is required");
      }
      outputs.add(new Output(name, binary));
    }
    return outputs;
  }

  /**
   * The boolean {@code key} of the current {@code parameters} object; its other keys are ignored.
   */
  private static boolean wantsBinary(JsonBody body, String where, String key) throws IOException {
    if (!body.object(where, "parameters")) {
      return false;
    }
    boolean wanted = false;
    for (String f; (f = body.nextField()) != null; ) {
      if (f.equals(key)) {
        wanted = body.bool(where, "parameters." + key);
      } else {
        body.skip();
      }
    }
    return wanted;
  }

  /** The input tensors in the model's input order, each checked against its spec. */
  List<Tensor> tensors(List<TensorSpec> specs, BinaryTensorData binary) {
    if (inputs == null) {
      throw new BadRequestException("field 'inputs' is required");
    }
    if (inputs.isEmpty()) {
      throw new BadRequestException("field 'inputs' is empty; the model expects " + specs);
    }
    Map<String, Tensor> byName = new HashMap<>();
    for (Input in : inputs) {
      TensorSpec spec =
          specs.stream()
              .filter(s -> s.name().equals(in.name()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new BadRequestException(
                          "inputs["
                              + in.index()
                              + "]: unknown input '"
                              + in.name()
                              + "'; the model expects "
                              + specs.stream().map(TensorSpec::name).toList()));
      if (byName.containsKey(in.name())) {
        throw new BadRequestException(
            "inputs[" + in.index() + "]: input '" + in.name() + "' given twice");
      }
      byName.put(in.name(), in.tensor(spec, binary));
    }
    binary.requireConsumed();
    List<Tensor> ordered = new ArrayList<>(specs.size());
    long rows = -1;
    for (TensorSpec s : specs) {
      Tensor t = byName.get(s.name());
      if (t == null) {
        throw new BadRequestException(
            "input '" + s.name() + "' is missing; the model expects " + specs);
      }
      if (rows >= 0 && t.rows() != rows) {
        throw new BadRequestException(
            "inputs disagree on the batch size (first dimension): " + rows + " vs " + t.rows());
      }
      rows = t.rows();
      ordered.add(t);
    }
    return ordered;
  }

  /** The outputs asked for (null: all), checked against the model's outputs. */
  Set<String> wanted(List<TensorSpec> specs) {
    if (outputs == null) {
      return null;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < outputs.size(); i++) {
      String name = outputs.get(i).name();
      if (specs.stream().noneMatch(s -> s.name().equals(name))) {
        throw new BadRequestException(
            "outputs["
                + i
                + "]: unknown output '"
                + name
                + "'; the model has "
                + specs.stream().map(TensorSpec::name).toList());
      }
      names.add(name);
    }
    return names;
  }

  /**
   * Outputs whose data goes after the JSON as bytes: all with {@code binary_data_output}, else
   * those asking for it.
   */
  Set<String> binaryOutputs(List<TensorSpec> specs) {
    if (!binaryDataOutput && outputs == null) {
      return Set.of();
    }
    Set<String> names = new HashSet<>();
    if (binaryDataOutput) {
      specs.forEach(s -> names.add(s.name()));
    }
    if (outputs != null) {
      outputs.stream().filter(Output::binaryData).forEach(o -> names.add(o.name()));
    }
    return names;
  }
}
