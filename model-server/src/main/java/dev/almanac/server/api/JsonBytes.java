package dev.almanac.server.api;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JSON text built straight into a growable byte array, byte for byte what Vert.x's Jackson
 * generator writes (same escapes, same number texts; InferReplyTest compares the two on random
 * tensors and strings). Callers write the punctuation; this class writes the values.
 */
final class JsonBytes {
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  private byte[] bytes;
  private int size;

  JsonBytes(int capacity) {
    bytes = new byte[Math.max(capacity, 64)];
  }

  int size() {
    return size;
  }

  /** The array written so far (valid up to {@link #size}). */
  byte[] array() {
    return bytes;
  }

  JsonBytes raw(char c) {
    ensure(1);
    bytes[size++] = (byte) c;
    return this;
  }

  /** Text known to need no escapes: field names and punctuation written by the caller. */
  JsonBytes raw(String ascii) {
    ensure(ascii.length());
    for (int i = 0; i < ascii.length(); i++) {
      bytes[size++] = (byte) ascii.charAt(i);
    }
    return this;
  }

  /** A quoted string: UTF-8, with Jackson's escapes (\" \\ \b \t \n \f \r, \\u00XX, surrogates as \\uXXXX). */
  JsonBytes string(String s) {
    ensure(s.length() + 2);
    bytes[size++] = '"';
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        bytes[size++] = (byte) c;
      } else {
        escaped(c);
        // the worst case left: every remaining char six bytes
        ensure(6 * (s.length() - i) + 1);
      }
    }
    bytes[size++] = '"';
    return this;
  }

  private void escaped(char c) {
    ensure(6);
    switch (c) {
      case '"', '\\' -> twoBytes('\\', c);
      case '\b' -> twoBytes('\\', 'b');
      case '\t' -> twoBytes('\\', 't');
      case '\n' -> twoBytes('\\', 'n');
      case '\f' -> twoBytes('\\', 'f');
      case '\r' -> twoBytes('\\', 'r');
      default -> {
        if (c < 0x20 || Character.isSurrogate(c)) {
          // Jackson's UTF-8 generator escapes each surrogate on its own (pairs are not combined by default)
          bytes[size++] = '\\';
          bytes[size++] = 'u';
          bytes[size++] = HEX[c >> 12];
          bytes[size++] = HEX[(c >> 8) & 0xF];
          bytes[size++] = HEX[(c >> 4) & 0xF];
          bytes[size++] = HEX[c & 0xF];
        } else if (c < 0x800) {
          bytes[size++] = (byte) (0xC0 | (c >> 6));
          bytes[size++] = (byte) (0x80 | (c & 0x3F));
        } else {
          bytes[size++] = (byte) (0xE0 | (c >> 12));
          bytes[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
          bytes[size++] = (byte) (0x80 | (c & 0x3F));
        }
      }
    }
  }

  private void twoBytes(char a, char b) {
    bytes[size++] = (byte) a;
    bytes[size++] = (byte) b;
  }

  JsonBytes number(long v) {
    ensure(20);
    size = NumberOutput.outputLong(v, bytes, size);
    return this;
  }

  JsonBytes number(float v) {
    ensure(FloatText.MAX_LENGTH);
    size = FloatText.write(v, bytes, size);
    return this;
  }

  /** Jackson's fast writer's text; NaN and the infinities quoted, as Jackson writes them. */
  JsonBytes number(double v) {
    String text = NumberOutput.toString(v, true);
    return Double.isFinite(v) ? raw(text) : string(text);
  }

  JsonBytes bool(boolean v) {
    return raw(v ? "true" : "false");
  }

  /** Closes an array whose every value was followed by a comma: the last comma becomes the bracket. */
  JsonBytes endArray() {
    if (bytes[size - 1] == ',') {
      bytes[size - 1] = ']';
      return this;
    }
    return raw(']');
  }

  /** A view of {@code n} bytes at the end, to be filled little-endian by the caller. */
  ByteBuffer appendLittleEndian(int n) {
    ensure(n);
    ByteBuffer view = ByteBuffer.wrap(bytes, size, n).slice().order(ByteOrder.LITTLE_ENDIAN);
    size += n;
    return view;
  }

  private void ensure(int n) {
    if (size + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
    }
  }
}
