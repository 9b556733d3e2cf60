package dev.almanac.server.api;

import com.fasterxml.jackson.core.io.NumberOutput;

/**
 * Writes a float's decimal text, exactly as Jackson's fast writer does ({@code Float.toString} of
 * Java 19 and later: the shortest decimal, of at least two digits, that reads back as the same
 * float, the closest one to it when several are as short), straight into a byte array.
 *
 * <p>Why: an infer reply of the symptom classifier carries 41 probabilities, and Jackson renders
 * each as a new String that its generator then copies twice; that was about a tenth of the
 * server's CPU per JSON infer request. Here each tried length costs three products by one exact
 * power of ten (the float and the midpoints to its neighbours, which bound the reals that read
 * back as it) and a rounding; real probabilities take two or three tries (about 30 ns against 42
 * ns for Jackson's String alone, by a microbenchmark). Floats outside 1e-14..1e23, and the rare ones
 * where a rounded product is too close to a tie or a midpoint to tell, go to Jackson, so the text
 * is always Jackson's: FloatTextTest checks that on random and edge floats, and it held for all
 * 2^32 bit patterns when run by hand.
 */
final class FloatText {
  // 10^0..10^22 are exact doubles, so one multiplication or division by them rounds once
  private static final double[] EXACT_POWERS = new double[23];
  private static final long[] INT_POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000,
      1_000_000_000};
  private static final int MIN_DECIMAL_EXPONENT = -14;
  private static final int MAX_DECIMAL_EXPONENT = 22;
  // the doubles nearest 10^-14..10^23, to settle floor(log10(|v|)) (every float checked, see the class doc)
  private static final double[] POWERS = new double[MAX_DECIMAL_EXPONENT - MIN_DECIMAL_EXPONENT + 2];
  private static final double LOG10_2 = 0.30102999566398120;
  // scaled values are below 10^9 and off by at most 1.2e-7: closer than this to a tie or a bound, ask Jackson
  private static final double MARGIN = 1e-6;
  private static final long MISSES = -1;
  private static final long UNSURE = -2;
  private static final byte[] DIGIT_PAIRS = new byte[200];

  static {
    double p = 1;
    for (int i = 0; i < EXACT_POWERS.length; i++) {
      EXACT_POWERS[i] = p;
      p *= 10;
    }
    for (int i = 0; i < POWERS.length; i++) {
      POWERS[i] = Double.parseDouble("1e" + (MIN_DECIMAL_EXPONENT + i));
    }
    for (int i = 0; i < 100; i++) {
      DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
      DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
    }
  }

  private FloatText() {}

  /** The longest text written: {@code -1.2345678E-10}, or a quoted {@code "-Infinity"}. */
  static final int MAX_LENGTH = 16;

  /**
   * Writes {@code v} at {@code pos}, which must have {@link #MAX_LENGTH} bytes of room, and returns
   * the position after it. NaN and the infinities are written as quoted strings, as Jackson does.
   */
  static int write(float v, byte[] out, int pos) {
    if (v == 0) {
      return ascii(Float.floatToRawIntBits(v) == 0 ? "0.0" : "-0.0", out, pos);
    }
    if (!Float.isFinite(v)) {
      out[pos] = '"';
      pos = ascii(Float.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity", out, pos + 1);
      out[pos] = '"';
      return pos + 1;
    }
    float f = Math.abs(v);
    // floor(log10(f)): from the binary exponent it is this or one more
    int e = (int) Math.floor(Math.getExponent(f) * LOG10_2);
    if (e < MIN_DECIMAL_EXPONENT || e > MAX_DECIMAL_EXPONENT) {
      return jackson(v, out, pos);
    }
    if (f >= POWERS[e + 1 - MIN_DECIMAL_EXPONENT]) {
      e++;
    }
    double value = f;
    double low = (value + Math.nextDown(f)) / 2;
    double high = (value + Math.nextUp(f)) / 2;
    // the shortest length whose nearest decimal reads back as f; a longer one always does too, and
    // 9 digits always do. Most probabilities need 8 or 9, so start there.
    long digits;
    int length;
    long eight = tryLength(8, e, value, low, high);
    if (eight == UNSURE) {
      return jackson(v, out, pos);
    }
    if (eight < 0) {
      length = 9;
      digits = tryLength(9, e, value, low, high);
    } else {
      length = 8;
      digits = eight;
      int lo = 2;
      while (lo < length) {
        int mid = (lo + length - 1) >>> 1;
        long d = tryLength(mid, e, value, low, high);
        if (d == UNSURE) {
          return jackson(v, out, pos);
        }
        if (d >= 0) {
          length = mid;
          digits = d;
        } else {
          lo = mid + 1;
        }
      }
    }
    if (digits < 0) {
      return jackson(v, out, pos);
    }
    if (digits == INT_POWERS[length]) {
      // rounded up to the next power of ten: 9.99.. became 10.0
      digits /= 10;
      e++;
    }
    while (length > 1 && digits % 10 == 0) {
      digits /= 10;
      length--;
    }
    if (v < 0) {
      out[pos++] = '-';
    }
    return format((int) digits, length, e, out, pos);
  }

  /**
   * The decimal of {@code length} digits nearest to {@code value} (a float, near 10^e) as an integer
   * if it reads back as that float, else MISSES; UNSURE when it is too close to a tie, or to a
   * midpoint to a neighbour (where the significand's parity decides), for the rounded products to
   * tell. The reals that read back as the float lie between {@code low} and {@code high}, the
   * midpoints to its neighbours (exact in a double), scaled here by the same power of ten.
   */
  private static long tryLength(int length, int e, double value, double low, double high) {
    int scale = length - 1 - e;
    double s;
    double lo;
    double hi;
    if (scale >= 0) {
      double p = EXACT_POWERS[scale];
      s = value * p;
      lo = low * p;
      hi = high * p;
    } else {
      double p = EXACT_POWERS[-scale];
      s = value / p;
      lo = low / p;
      hi = high / p;
    }
    double floor = Math.floor(s);
    double fraction = s - floor;
    if (Math.abs(fraction - 0.5) < MARGIN) {
      return UNSURE;
    }
    double digits = fraction > 0.5 ? floor + 1 : floor;
    if (Math.abs(digits - lo) < MARGIN || Math.abs(digits - hi) < MARGIN) {
      return UNSURE;
    }
    return lo < digits && digits < hi ? (long) digits : MISSES;
  }

  /** Java's layout: plain for 10^-3 <= |v| < 10^7, else d.dddE±n; always a digit after the point. */
  private static int format(int digits, int length, int e, byte[] out, int pos) {
    if (e >= 0 && e < 7) {
      int integerDigits = e + 1;
      if (length <= integerDigits) {
        pos = putDigits(digits, length, out, pos);
        for (int i = length; i < integerDigits; i++) {
          out[pos++] = '0';
        }
        out[pos++] = '.';
        out[pos++] = '0';
        return pos;
      }
      return withPoint(digits, length, integerDigits, out, pos);
    }
    if (e < 0 && e >= -3) {
      out[pos++] = '0';
      out[pos++] = '.';
      for (int i = -1; i > e; i--) {
        out[pos++] = '0';
      }
      return putDigits(digits, length, out, pos);
    }
    if (length == 1) {
      out[pos++] = (byte) ('0' + digits);
      out[pos++] = '.';
      out[pos++] = '0';
    } else {
      pos = withPoint(digits, length, 1, out, pos);
    }
    out[pos++] = 'E';
    if (e < 0) {
      out[pos++] = '-';
      e = -e;
    }
    if (e >= 10) {
      out[pos++] = (byte) ('0' + e / 10);
    }
    out[pos++] = (byte) ('0' + e % 10);
    return pos;
  }

  /** The digits with a point after the first {@code before} of them. */
  private static int withPoint(int digits, int length, int before, byte[] out, int pos) {
    int end = putDigits(digits, length, out, pos + 1);
    // the digits were written one place to the right: move the integer part back, point after it
    for (int i = 0; i < before; i++) {
      out[pos + i] = out[pos + 1 + i];
    }
    out[pos + before] = '.';
    return end;
  }

  /** Writes the {@code length} digits of {@code digits}, two at a time from the right. */
  private static int putDigits(int digits, int length, byte[] out, int pos) {
    int i = pos + length;
    while (i - pos >= 2) {
      int pair = (digits % 100) << 1;
      digits /= 100;
      out[--i] = DIGIT_PAIRS[pair + 1];
      out[--i] = DIGIT_PAIRS[pair];
    }
    if (i > pos) {
      out[--i] = (byte) ('0' + digits);
    }
    return pos + length;
  }

  private static int jackson(float v, byte[] out, int pos) {
    return ascii(NumberOutput.toString(v, true), out, pos);
  }

  private static int ascii(String s, byte[] out, int pos) {
    for (int i = 0; i < s.length(); i++) {
      out[pos++] = (byte) s.charAt(i);
    }
    return pos;
  }
}
