package dev.almanac.server.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.almanac.server.model.BadRequestException;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A request body read with Jackson's streaming parser straight into a route's request record. The
 * record's reader walks the fields with {@link #fields} and reads each value with the small methods
 * here, whose errors name the field and what was wrong with it; syntax errors are Jackson's own
 * message with line and column. Every error is a {@link BadRequestException} (400).
 */
final class JsonBody {
  /**
   * The server's JSON: FastDoubleParser to read numbers and Schubfach to write them (both exact and
   * round-trip safe), Jackson's default limits (nesting depth, number and string lengths).
   */
  static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
          .build();

  /** Reads one kind of request from a body whose parser is at the top-level object's start. */
  @FunctionalInterface
  interface Reader<T> {
    T read(JsonBody body) throws IOException;
  }

  private final JsonParser p;
  private final int length;

  private JsonBody(JsonParser p, int length) {
    this.p = p;
    this.length = length;
  }

  /** The body's one JSON object read by {@code reader}. */
  static <T> T read(Buffer body, Reader<T> reader) {
    if (body == null || body.length() == 0) {
      throw new BadRequestException("request body is empty; expected a JSON object");
    }
    ByteBuf buf = body.getByteBuf();
    byte[] bytes;
    int offset;
    int length = buf.readableBytes();
    if (buf.hasArray()) {
      bytes = buf.array();
      offset = buf.arrayOffset() + buf.readerIndex();
    } else {
      bytes = new byte[length];
      buf.getBytes(buf.readerIndex(), bytes);
      offset = 0;
    }
    try (JsonParser p = JSON.createParser(bytes, offset, length)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new BadRequestException("request body is empty; expected a JSON object");
      }
      if (first != JsonToken.START_OBJECT) {
        throw new BadRequestException("request body must be a JSON object, got " + kind(first));
      }
      T value = reader.read(new JsonBody(p, length));
      if (p.nextToken() != null) {
        throw new BadRequestException(
            "malformed JSON: unexpected content after the JSON object" + at(p.currentLocation()));
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new BadRequestException(
          "malformed JSON: " + firstLine(e.getOriginalMessage()) + at(e.getLocation()));
    } catch (IOException e) {
      throw new BadRequestException("unreadable request body: " + e.getMessage());
    }
  }

  JsonParser parser() {
    return p;
  }

  /** Bytes in the body: no array in it can hold more than half as many values. */
  int length() {
    return length;
  }

  /**
   * The fields of the object whose start is the current token; {@code where} names it in errors (""
   * at the top level).
   */
  Fields fields(String where, List<String> known) {
    return new Fields(where, known);
  }

  /**
   * Walks an object's fields, skipping and collecting those outside {@code known} to name them all
   * at its end.
   */
  final class Fields {
    private final String where;
    private final List<String> known;
    private List<String> unknown; // allocated only for a request that is about to fail

    private Fields(String where, List<String> known) {
      this.where = where;
      this.known = known;
    }

    /** The next known field's name, the parser at its value; null at the object's end. */
    String next() throws IOException {
      for (String name; (name = nextField()) != null; ) {
        if (known.contains(name)) {
          return name;
        }
        if (unknown == null) {
          unknown = new ArrayList<>();
        }
        unknown.add(name);
        p.skipChildren();
      }
      if (unknown != null) {
        throw new BadRequestException(
            (where.isEmpty() ? "" : where + ": ")
                + "unknown field(s) "
                + unknown
                + "; allowed: "
                + known);
      }
      return null;
    }
  }

  /**
   * The next field's name, the parser at its value; null at the object's end. For objects whose
   * other fields are ignored.
   */
  String nextField() throws IOException {
    String name = p.nextFieldName();
    if (name != null) {
      p.nextToken();
    }
    return name;
  }

  // Errors name the value as "field 'series'" or, inside an element, "inputs[0] ('x'): field
  // 'shape'";
  // the label is only built for a request that fails.

  /**
   * The current value of {@code field} as a string, null for JSON null; {@code where} is "" at the
   * top level.
   */
  String string(String where, String field) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    throw wrongType(where, field, "a string", t);
  }

  /** The current value as a boolean, false for JSON null. */
  boolean bool(String where, String field) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE || t == JsonToken.VALUE_NULL) {
      return t == JsonToken.VALUE_TRUE;
    }
    throw wrongType(where, field, "a boolean", t);
  }

  /** The current value as an integer in [min, max] (2.0 counts as 2), null for JSON null. */
  Long integer(String where, String field, long min, long max) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    Long v = integral(p);
    if (v == null) {
      throw new BadRequestException(
          label(where, field) + " must be an integer, got " + describe(p));
    }
    if (v < min || v > max) {
      throw new BadRequestException(
          label(where, field) + " must be between " + min + " and " + max + ", got " + v);
    }
    return v;
  }

  /** True at an array's start, false at JSON null; anything else is an error. */
  boolean array(String where, String field) throws IOException {
    return container(where, field, JsonToken.START_ARRAY, "an array");
  }

  /** True at an object's start, false at JSON null; anything else is an error. */
  boolean object(String where, String field) throws IOException {
    return container(where, field, JsonToken.START_OBJECT, "an object");
  }

  private boolean container(String where, String field, JsonToken start, String expected)
      throws IOException {
    JsonToken t = p.currentToken();
    if (t == start) {
      return true;
    }
    if (t == JsonToken.VALUE_NULL) {
      return false;
    }
    throw wrongType(where, field, expected, t);
  }

  private static BadRequestException wrongType(
      String where, String field, String expected, JsonToken t) {
    return new BadRequestException(
        label(where, field) + " must be " + expected + ", got " + kind(t));
  }

  /**
   * "field 'f'", "inputs[0] ('x'): field 'f'", or just {@code where} for an element ({@code field}
   * null).
   */
  static String label(String where, String field) {
    if (field == null) {
      return where;
    }
    return where.isEmpty() ? "field '" + field + "'" : where + ": field '" + field + "'";
  }

  /** Moves to the next element of the current array; false at its end. */
  boolean nextElement() throws IOException {
    return p.nextToken() != JsonToken.END_ARRAY;
  }

  /** Skips the current value (and everything in it). */
  void skip() throws IOException {
    p.skipChildren();
  }

  /**
   * The current number as a long when it is an integer that fits one (2.0 counts as 2); null for
   * anything else: fractions, huge integers, non-numbers.
   */
  static Long integral(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT) {
      return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? null : p.getLongValue();
    }
    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      double d = p.getDoubleValue();
      return d == Math.rint(d) && Math.abs(d) <= 9.2e18 ? (long) d : null;
    }
    return null;
  }

  /** A scalar's text (at most 40 characters), or the kind of a container. */
  static String describe(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null || t.isStructStart() || t.isStructEnd()) {
      return kind(t);
    }
    String s = t == JsonToken.VALUE_STRING ? '"' + p.getText() + '"' : p.getText();
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  static String kind(JsonToken t) {
    if (t == null) {
      return "nothing";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : t.asString();
    };
  }

  private static String at(JsonLocation l) {
    return l == null ? "" : " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable body";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
