package dev.almanac.server.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the plain subset of JSON that request bodies almost always are, straight from the bytes:
 * an object or array of objects, arrays, ASCII strings without escapes, ints that fit an int,
 * decimals of at most 15 digits without an exponent, true, false and null, nested at most 64 deep.
 * Anything else, valid or not, makes {@link #read} return null and the caller reads the body with
 * Jackson, so every error message and every rare form (escapes, exponents, long numbers, non-ASCII
 * text, deep nesting) is Jackson's. The tree is the one {@link RequestJson} builds from Jackson's
 * tokens, number arrays unboxed in {@link RequestJson.Numbers}.
 *
 * <p>Why: Jackson's tokenizer copies every number into a text buffer before it is converted; for a
 * one-row infer request (132 numbers) reading the body was 15% of the server's CPU per request.
 */
final class PlainJson {
  private static final int MAX_DEPTH = 64;
  // Jackson's default StreamReadConstraints: longer names and strings are its errors to report
  private static final int MAX_NAME_LENGTH = 50_000;
  private static final int MAX_STRING_LENGTH = 20_000_000;
  private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
      1e12, 1e13, 1e14, 1e15};

  /** Thrown, without a stack trace, at the first byte outside the subset. */
  private static final class NotPlain extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotPlain() {
      super(null, null, false, false);
    }
  }

  private static final NotPlain NOT_PLAIN = new NotPlain();
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private final byte[] b;
  private final int end;
  private int i;
  private int depth;
  // the number just read: an int, or a double when isInt is false
  private boolean isInt;
  private int intValue;
  private double doubleValue;

  private PlainJson(byte[] bytes, int offset, int length) {
    this.b = bytes;
    this.i = offset;
    this.end = offset + length;
  }

  /** The body's object or array (as maps and lists), or null when it is not plain JSON. */
  static Object read(byte[] bytes, int offset, int length) {
    PlainJson r = new PlainJson(bytes, offset, length);
    try {
      r.skipWhitespace();
      if (r.i >= r.end || (bytes[r.i] != '{' && bytes[r.i] != '[')) {
        return null;
      }
      Object v = r.value();
      r.skipWhitespace();
      return r.i == r.end ? v : null;
    } catch (NotPlain e) {
      return null;
    }
  }

  private Object value() {
    byte c = at();
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return string(MAX_STRING_LENGTH);
      case 't':
        literal("true");
        return Boolean.TRUE;
      case 'f':
        literal("false");
        return Boolean.FALSE;
      case 'n':
        literal("null");
        return null;
      default:
        number();
        return isInt ? (Object) intValue : (Object) doubleValue;
    }
  }

  private Map<String, Object> object() {
    enter();
    Map<String, Object> m = new LinkedHashMap<>();
    skipWhitespace();
    if (at() == '}') {
      i++;
      depth--;
      return m;
    }
    while (true) {
      if (at() != '"') {
        throw NOT_PLAIN;
      }
      String key = string(MAX_NAME_LENGTH);
      skipWhitespace();
      if (at() != ':') {
        throw NOT_PLAIN;
      }
      i++;
      skipWhitespace();
      m.put(key, value()); // a repeated key: the last one wins, as in Jackson's tree
      if (endOf('}')) {
        return m;
      }
    }
  }

  private List<Object> array() {
    enter();
    skipWhitespace();
    if (at() == ']') {
      i++;
      depth--;
      return new ArrayList<>();
    }
    // numbers go to this thread's scratch arrays first, then into one array of the exact size; a
    // nested array only starts after the first non-number has turned this one into a plain list
    Scratch scratch = SCRATCH.get();
    int n = 0;
    boolean anyInt = false;
    List<Object> list = null; // the first value that is not a number turns the array into a plain list
    while (true) {
      byte c = at();
      if (list == null && (c == '-' || (c >= '0' && c <= '9'))) {
        number();
        if (n == scratch.values.length) {
          scratch.grow();
        }
        scratch.ints[n] = isInt;
        anyInt |= isInt;
        scratch.values[n++] = isInt ? intValue : doubleValue;
      } else {
        if (list == null) {
          list = new ArrayList<>(scratch.numbers(n, anyInt));
        }
        list.add(value());
      }
      if (endOf(']')) {
        return list == null ? scratch.numbers(n, anyInt) : list;
      }
    }
  }

  /** One event loop's arrays for the numbers of the array being read. */
  private static final class Scratch {
    private static final int INITIAL = 256;
    // a huge body's arrays are not kept for the thread's lifetime
    private static final int KEPT = 1 << 16;
    private double[] values = new double[INITIAL];
    private boolean[] ints = new boolean[INITIAL];

    void grow() {
      values = Arrays.copyOf(values, values.length * 4);
      ints = Arrays.copyOf(ints, ints.length * 4);
    }

    RequestJson.Numbers numbers(int n, boolean anyInt) {
      RequestJson.Numbers numbers = new RequestJson.Numbers(Arrays.copyOf(values, n), anyInt ? Arrays.copyOf(ints, n) : null, n);
      if (values.length > KEPT) {
        values = new double[INITIAL];
        ints = new boolean[INITIAL];
      }
      return numbers;
    }
  }

  /** After a member or element: true at the container's end (consumed), false after a comma. */
  private boolean endOf(char close) {
    skipWhitespace();
    byte c = at();
    i++;
    if (c == ',') {
      skipWhitespace();
      return false;
    }
    if (c == close) {
      depth--;
      return true;
    }
    throw NOT_PLAIN;
  }

  private void enter() {
    i++;
    if (++depth > MAX_DEPTH) {
      throw NOT_PLAIN;
    }
  }

  private String string(int maxLength) {
    int start = ++i;
    for (; i < end; i++) {
      byte c = b[i];
      if (c == '"') {
        if (i - start > maxLength) {
          throw NOT_PLAIN;
        }
        return new String(b, start, i++ - start, StandardCharsets.ISO_8859_1);
      }
      // escapes, control characters and (as negative bytes) anything beyond ASCII are Jackson's to read
      if (c == '\\' || c < 0x20) {
        throw NOT_PLAIN;
      }
    }
    throw NOT_PLAIN;
  }

  private void literal(String word) {
    if (end - i < word.length()) {
      throw NOT_PLAIN;
    }
    for (int k = 0; k < word.length(); k++) {
      if (b[i + k] != word.charAt(k)) {
        throw NOT_PLAIN;
      }
    }
    i += word.length();
  }

  /**
   * JSON's -?(0|[1-9][0-9]*)(.[0-9]+)? with at most 15 digits; a decimal is converted by
   * {@link #decimal} (Clinger's fast path: the correctly rounded value, as Jackson's).
   */
  private void number() {
    boolean negative = at() == '-';
    if (negative) {
      i++;
    }
    long digits = 0;
    int count = 0;
    byte c = at();
    if (c == '0') {
      i++;
      count = 1;
    } else if (c >= '1' && c <= '9') {
      while (i < end && (c = b[i]) >= '0' && c <= '9') {
        digits = digits * 10 + (c - '0');
        count++;
        i++;
      }
    } else {
      throw NOT_PLAIN;
    }
    int fraction = -1;
    if (i < end && b[i] == '.') {
      i++;
      fraction = 0;
      while (i < end && (c = b[i]) >= '0' && c <= '9') {
        digits = digits * 10 + (c - '0');
        count++;
        fraction++;
        i++;
      }
      if (fraction == 0) {
        throw NOT_PLAIN;
      }
    }
    // exponents and long numbers are Jackson's; 15 digits also keep the long above from overflowing
    if (count > 15 || (i < end && (b[i] == 'e' || b[i] == 'E'))) {
      throw NOT_PLAIN;
    }
    if (fraction < 0) {
      long v = negative ? -digits : digits;
      if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        throw NOT_PLAIN; // Jackson makes a Long of it
      }
      isInt = true;
      intValue = (int) v;
      return;
    }
    isInt = false;
    doubleValue = decimal(digits, fraction, negative);
  }

  /** ±digits ÷ 10^fraction for at most 15 digits: both are exact doubles, so the quotient is correctly rounded. */
  private static double decimal(long digits, int fraction, boolean negative) {
    // a fraction's trailing zeros ("1.0", "0.50": one-hot and count features) need no division
    while (fraction > 0 && digits % 10 == 0) {
      digits /= 10;
      fraction--;
    }
    double d = fraction == 0 ? (double) digits : digits / POWERS_OF_TEN[fraction];
    return negative ? -d : d;
  }

  private byte at() {
    if (i >= end) {
      throw NOT_PLAIN;
    }
    return b[i];
  }

  private void skipWhitespace() {
    while (i < end) {
      byte c = b[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      i++;
    }
  }
}
