package dev.almanac.server.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;
import java.io.IOException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.function.IntToDoubleFunction;

/**
 * Request bodies read straight from their bytes into the tree Vert.x's {@code Json.decodeValue} would
 * build (maps, lists, Integer/Long/BigInteger, Double, String, Boolean, null), except that an array
 * holding only numbers is kept unboxed as a {@link Numbers} list. Tensor data and forecast histories
 * are such arrays: databind's untyped deserializer boxed the 132 values of a one-row infer request into an ArrayList of Doubles, which the tensor code
 * then unboxed again. Such lists are read-only: request trees are read, never edited. Nesting depth is
 * bounded by the parser's own limit (Jackson's StreamReadConstraints, 1000), so the recursion is too.
 * Plain bodies (the usual ones) are read by {@link PlainJson} without Jackson; the rest by Jackson.
 */
final class RequestJson {
  private RequestJson() {}

  /** The body's one JSON value (objects as {@link JsonObject}, arrays as {@link JsonArray}). */
  static Object parse(Buffer body) {
    ByteBuf buf = body.getByteBuf();
    byte[] bytes;
    int offset;
    if (buf.hasArray()) {
      bytes = buf.array();
      offset = buf.arrayOffset() + buf.readerIndex();
    } else {
      bytes = new byte[buf.readableBytes()];
      buf.getBytes(buf.readerIndex(), bytes);
      offset = 0;
    }
    int length = buf.readableBytes();
    Object plain = PlainJson.read(bytes, offset, length);
    if (plain != null) {
      return wrap(plain);
    }
    try (JsonParser p = DatabindCodec.mapper().getFactory().createParser(bytes, offset, length)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new DecodeException("no content");
      }
      Object v = value(p, first);
      if (p.nextToken() != null) {
        throw new DecodeException("unexpected content after the JSON value, at column " + p.currentLocation().getColumnNr());
      }
      return wrap(v);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new DecodeException(e.getOriginalMessage() + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"), e);
    } catch (IOException e) {
      throw new DecodeException(String.valueOf(e.getMessage()), e);
    }
  }

  private static Object wrap(Object v) {
    return v instanceof Map<?, ?> m ? new JsonObject(cast(m)) : v instanceof List<?> l ? new JsonArray(l) : v;
  }

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case START_OBJECT -> object(p);
      case START_ARRAY -> array(p);
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT -> p.getNumberValue();
      case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new DecodeException("unexpected token " + t);
    };
  }

  private static Map<String, Object> object(JsonParser p) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    String key;
    while ((key = p.nextFieldName()) != null) {
      m.put(key, value(p, p.nextToken()));
    }
    return m;
  }

  private static List<Object> array(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (!packable(p, t)) {
      return rest(p, t, new ArrayList<>());
    }
    // numbers first, unboxed; the first other value turns the array into a plain list
    Numbers numbers = new Numbers();
    do {
      if (t == JsonToken.VALUE_NUMBER_FLOAT) {
        numbers.addDouble(p.getDoubleValue());
      } else {
        numbers.addInt(p.getIntValue());
      }
      t = p.nextToken();
    } while (packable(p, t));
    return t == JsonToken.END_ARRAY ? numbers : rest(p, t, new ArrayList<>(numbers));
  }

  /** Floats, and ints that fit an int (larger ones are Longs or BigIntegers in databind's tree). */
  private static boolean packable(JsonParser p, JsonToken t) throws IOException {
    return t == JsonToken.VALUE_NUMBER_FLOAT || (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT);
  }

  private static List<Object> rest(JsonParser p, JsonToken first, List<Object> list) throws IOException {
    for (JsonToken t = first; t != JsonToken.END_ARRAY; t = p.nextToken()) {
      list.add(value(p, t));
    }
    return list;
  }

  /**
   * The i-th element of a request array as a double: unboxed for a {@link Numbers} list, NaN for
   * anything but a number, so one finiteness check covers both (callers then name the bad value).
   */
  static IntToDoubleFunction doubles(List<?> list) {
    return list instanceof Numbers numbers ? numbers::doubleAt : i -> list.get(i) instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  /**
   * A JSON array of numbers as doubles, each read back as the Integer or Double databind would have
   * made of it (ints are only packed when they fit an int, so the doubles hold them exactly).
   */
  static final class Numbers extends AbstractList<Object> implements RandomAccess {
    private double[] values;
    private boolean[] ints;
    private int size;

    Numbers() {
      values = new double[16];
    }

    /** The first {@code size} values, marked as ints where {@code ints} (may be null) says so; both arrays are kept. */
    Numbers(double[] values, boolean[] ints, int size) {
      this.values = values;
      this.ints = ints;
      this.size = size;
    }

    void addDouble(double v) {
      grow();
      values[size++] = v;
    }

    void addInt(int v) {
      grow();
      if (ints == null) {
        ints = new boolean[values.length];
      }
      ints[size] = true;
      values[size++] = v;
    }

    private void grow() {
      if (size == values.length) {
        // fourfold: a tensor row of a few hundred values grows twice, not five times
        int capacity = Math.max(16, size * 4);
        values = Arrays.copyOf(values, capacity);
        if (ints != null) {
          ints = Arrays.copyOf(ints, capacity);
        }
      }
    }

    /** The i-th number as a double, without boxing. */
    double doubleAt(int i) {
      return values[i];
    }

    @Override
    public Object get(int i) {
      if (i >= size) {
        throw new IndexOutOfBoundsException(i);
      }
      return ints != null && ints[i] ? (Object) (int) values[i] : (Object) values[i];
    }

    @Override
    public int size() {
      return size;
    }
  }
}
