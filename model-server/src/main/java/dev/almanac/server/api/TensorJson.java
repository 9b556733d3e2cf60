package dev.almanac.server.api;

import dev.almanac.server.model.BadRequestException;
import dev.almanac.server.model.DataType;
import dev.almanac.server.model.Tensor;
import dev.almanac.server.model.TensorSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntToDoubleFunction;

/** KServe Open Inference Protocol v2 tensors in JSON: row-major data, flat or nested. */
final class TensorJson {
  private static final List<String> TENSOR_FIELDS = List.of("name", "datatype", "shape", "data", "parameters");
  private static final long MAX_ELEMENTS = 50_000_000L;

  private TensorJson() {}

  /**
   * Request tensors in the model's input order, checked against the input specs; inputs that declare
   * {@code parameters.binary_data_size} are read from {@code binary}.
   */
  static List<Tensor> inputs(JsonObject body, List<TensorSpec> specs, BinaryTensorData binary) {
    JsonArray inputs = JsonFields.array(body, "inputs", true);
    if (inputs.isEmpty()) {
      throw new BadRequestException("field 'inputs' is empty; the model expects " + specs);
    }
    Map<String, Tensor> byName = new HashMap<>();
    for (int n = 0; n < inputs.size(); n++) {
      int i = n;
      Object o = inputs.getValue(i);
      if (!(o instanceof JsonObject in)) {
        throw new BadRequestException("inputs[" + i + "] must be an object, got " + JsonFields.kind(o));
      }
      String name = JsonFields.string(in, "name", true);
      TensorSpec spec = specs.stream().filter(s -> s.name().equals(name)).findFirst()
          .orElseThrow(() -> new BadRequestException("inputs[" + i + "]: unknown input '" + name + "'; the model expects "
              + specs.stream().map(TensorSpec::name).toList()));
      if (byName.containsKey(name)) {
        throw new BadRequestException("inputs[" + i + "]: input '" + name + "' given twice");
      }
      byName.put(name, tensor(in, spec, "inputs[" + i + "] ('" + name + "')", binary));
    }
    binary.requireConsumed();
    List<Tensor> ordered = new ArrayList<>(specs.size());
    long rows = -1;
    for (TensorSpec s : specs) {
      Tensor t = byName.get(s.name());
      if (t == null) {
        throw new BadRequestException("input '" + s.name() + "' is missing; the model expects " + specs);
      }
      if (rows >= 0 && t.rows() != rows) {
        throw new BadRequestException("inputs disagree on the batch size (first dimension): " + rows + " vs " + t.rows());
      }
      rows = t.rows();
      ordered.add(t);
    }
    return ordered;
  }

  private static Tensor tensor(JsonObject in, TensorSpec spec, String where, BinaryTensorData binary) {
    JsonFields.onlyKnown(in, TENSOR_FIELDS);
    DataType type = DataType.parse(JsonFields.string(in, "datatype", true));
    if (type != spec.type()) {
      throw new BadRequestException(where + ": datatype " + type + " does not match the model input type " + spec.type());
    }
    JsonArray shapeJson = JsonFields.array(in, "shape", true);
    long[] shape = new long[shapeJson.size()];
    long elements = 1;
    for (int d = 0; d < shape.length; d++) {
      Object v = shapeJson.getValue(d);
      if (!(v instanceof Number n) || !JsonFields.isIntegral(n) || n.doubleValue() < 0 || n.doubleValue() > MAX_ELEMENTS) {
        throw new BadRequestException(where + ": shape[" + d + "] must be a non-negative integer, got " + JsonFields.render(v));
      }
      shape[d] = n.longValue();
      elements *= shape[d];
      if (elements > MAX_ELEMENTS) {
        throw new BadRequestException(where + ": shape " + shapeJson.encode() + " has too many elements");
      }
    }
    if (shape.length != spec.shape().length) {
      throw new BadRequestException(where + ": shape " + Arrays.toString(shape) + " has rank " + shape.length
          + ", the model expects " + Arrays.toString(spec.shape()));
    }
    for (int d = 0; d < shape.length; d++) {
      if (spec.shape()[d] >= 0 && spec.shape()[d] != shape[d]) {
        throw new BadRequestException(where + ": shape " + Arrays.toString(shape) + " does not match the model input shape "
            + Arrays.toString(spec.shape()) + " (dimension " + d + ")");
      }
    }
    if (shape.length > 0 && shape[0] == 0) {
      throw new BadRequestException(where + ": the batch dimension is 0");
    }
    Long binarySize = binaryDataSize(in.getValue("parameters"), where);
    if (binarySize != null) {
      if (in.containsKey("data")) {
        throw new BadRequestException(where + ": has both 'data' and parameters.binary_data_size");
      }
      return new Tensor(spec.name(), type, shape, binary.next(binarySize, type, elements, where));
    }
    JsonArray dataJson = JsonFields.array(in, "data", true);
    Object fast = flatFloats(dataJson, type, elements);
    if (fast != null) {
      return new Tensor(spec.name(), type, shape, fast);
    }
    List<Object> flat = new ArrayList<>((int) elements);
    flatten(dataJson, flat, where, 0);
    if (flat.size() != elements) {
      throw new BadRequestException(where + ": shape " + Arrays.toString(shape) + " needs " + elements + " values, 'data' has "
          + flat.size());
    }
    return new Tensor(spec.name(), type, shape, values(flat, type, where));
  }

  /**
   * The common case without intermediate lists or per-value error labels: a flat FP32/FP64 array of
   * exactly {@code elements} finite numbers. Null for anything else, which the general path then
   * converts or rejects with a precise message.
   */
  private static Object flatFloats(JsonArray a, DataType type, long elements) {
    List<?> raw = a.getList();
    int n = raw.size();
    if (n != elements || (type != DataType.FP32 && type != DataType.FP64)) {
      return null;
    }
    IntToDoubleFunction at = RequestJson.doubles(raw);
    if (type == DataType.FP32) {
      float[] out = new float[n];
      for (int i = 0; i < n; i++) {
        float f = (float) at.applyAsDouble(i);
        if (!Float.isFinite(f)) {
          return null;
        }
        out[i] = f;
      }
      return out;
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double d = at.applyAsDouble(i);
      if (!Double.isFinite(d)) {
        return null;
      }
      out[i] = d;
    }
    return out;
  }

  private static void flatten(JsonArray a, List<Object> out, String where, int depth) {
    if (depth > 32) {
      throw new BadRequestException(where + ": 'data' is nested too deeply");
    }
    for (int i = 0; i < a.size(); i++) {
      Object v = a.getValue(i);
      if (v instanceof JsonArray inner) {
        flatten(inner, out, where, depth + 1);
      } else {
        out.add(v);
      }
      if (out.size() > MAX_ELEMENTS) {
        throw new BadRequestException(where + ": 'data' has too many values");
      }
    }
  }

  private static Object values(List<Object> flat, DataType type, String where) {
    int n = flat.size();
    switch (type) {
      case FP32 -> {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
          double d = JsonFields.finite(flat.get(i), where + " data[" + i + "]");
          a[i] = (float) d;
          if (!Float.isFinite(a[i])) {
            throw new BadRequestException(where + " data[" + i + "] = " + d + " does not fit in FP32");
          }
        }
        return a;
      }
      case FP64 -> {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
          a[i] = JsonFields.finite(flat.get(i), where + " data[" + i + "]");
        }
        return a;
      }
      case INT64, INT32 -> {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
          Object v = flat.get(i);
          if (!(v instanceof Number num) || !JsonFields.isIntegral(num) || Math.abs(num.doubleValue()) > 9.2e18) {
            throw new BadRequestException(where + " data[" + i + "] must be an integer, got " + JsonFields.render(v));
          }
          a[i] = num.longValue();
        }
        if (type == DataType.INT64) {
          return a;
        }
        int[] b = new int[n];
        for (int i = 0; i < n; i++) {
          if (a[i] != (int) a[i]) {
            throw new BadRequestException(where + " data[" + i + "] = " + a[i] + " does not fit in INT32");
          }
          b[i] = (int) a[i];
        }
        return b;
      }
      default -> {
        boolean[] a = new boolean[n];
        for (int i = 0; i < n; i++) {
          if (!(flat.get(i) instanceof Boolean b)) {
            throw new BadRequestException(where + " data[" + i + "] must be a boolean, got " + JsonFields.render(flat.get(i)));
          }
          a[i] = b;
        }
        return a;
      }
    }
  }

  private static Long binaryDataSize(Object parameters, String where) {
    if (parameters == null) {
      return null;
    }
    if (!(parameters instanceof JsonObject p)) {
      throw new BadRequestException(where + ": 'parameters' must be an object, got " + JsonFields.kind(parameters));
    }
    Object v = p.getValue("binary_data_size");
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || !JsonFields.isIntegral(n) || n.longValue() < 0 || n.longValue() > Integer.MAX_VALUE) {
      throw new BadRequestException(where + ": parameters.binary_data_size must be a byte count, got " + JsonFields.render(v));
    }
    return n.longValue();
  }

  /** True when a {@code parameters} object asks for binary data under {@code key}. */
  static boolean wantsBinary(Object parameters, String key, String where) {
    if (parameters == null) {
      return false;
    }
    if (!(parameters instanceof JsonObject p)) {
      throw new BadRequestException(where + "'parameters' must be an object, got " + JsonFields.kind(parameters));
    }
    Object v = p.getValue(key);
    if (v != null && !(v instanceof Boolean)) {
      throw new BadRequestException(where + "parameters." + key + " must be a boolean, got " + JsonFields.render(v));
    }
    return Boolean.TRUE.equals(v);
  }

  /**
   * Outputs whose data goes after the JSON as bytes: those asking {@code parameters.binary_data: true},
   * or all of them with the request's {@code parameters.binary_data_output: true}.
   */
  static Set<String> binaryOutputs(JsonObject body, List<TensorSpec> outputs) {
    boolean all = wantsBinary(body.getValue("parameters"), "binary_data_output", "");
    JsonArray req = JsonFields.array(body, "outputs", false);
    if (req == null && !all) {
      return Set.of();
    }
    Set<String> names = new java.util.HashSet<>();
    if (all) {
      outputs.forEach(o -> names.add(o.name()));
    }
    if (req != null) {
      for (int i = 0; i < req.size(); i++) {
        if (req.getValue(i) instanceof JsonObject out && wantsBinary(out.getValue("parameters"), "binary_data", "outputs[" + i + "]: ")) {
          names.add(out.getString("name"));
        }
      }
    }
    return names;
  }

  /** Which outputs the client asked for (null: all), checked against the model's outputs. */
  static Set<String> requestedOutputs(JsonObject body, List<TensorSpec> outputs) {
    JsonArray req = JsonFields.array(body, "outputs", false);
    if (req == null) {
      return null;
    }
    Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < req.size(); i++) {
      Object o = req.getValue(i);
      if (!(o instanceof JsonObject out)) {
        throw new BadRequestException("outputs[" + i + "] must be an object, got " + JsonFields.kind(o));
      }
      String name = JsonFields.string(out, "name", true);
      if (outputs.stream().noneMatch(s -> s.name().equals(name))) {
        throw new BadRequestException("outputs[" + i + "]: unknown output '" + name + "'; the model has "
            + outputs.stream().map(TensorSpec::name).toList());
      }
      names.add(name);
    }
    return names;
  }

  static JsonObject spec(TensorSpec s) {
    JsonArray shape = new JsonArray();
    for (long d : s.shape()) {
      shape.add(d);
    }
    return new JsonObject().put("name", s.name()).put("datatype", s.type().name()).put("shape", shape);
  }
}
