package dev.almanac.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** FloatText must write exactly Jackson's fast-writer text; all 2^32 floats were checked once by hand (see the class doc). */
class FloatTextTest {

  static String jackson(float v) {
    String s = NumberOutput.toString(v, true);
    return Float.isFinite(v) ? s : '"' + s + '"';
  }

  static String written(float v) {
    byte[] out = new byte[FloatText.MAX_LENGTH + 3];
    int end = FloatText.write(v, out, 2);
    return new String(out, 2, end - 2, StandardCharsets.US_ASCII);
  }

  @Test
  void specialValuesAndEveryBoundaryOfTheLayoutAndOfTheFastRange() {
    List<Float> edges = new ArrayList<>(List.of(0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, 1f, 0.1f, 0.2f, 0.3f, 1e-7f, 2.5f, 123f, 1234567f, 16777216f,
        16777215f, 8388609f, 0.026615953f, 9.999999e-4f, 1e-3f, 1e7f, 9999999f));
    for (int k = -46; k <= 39; k++) {
      float p = Float.parseFloat("1e" + k);
      edges.add(p);
      edges.add(Math.nextUp(p));
      edges.add(Math.nextDown(p));
    }
    for (int b = -149; b <= 127; b++) {
      float p = (float) Math.scalb(1.0, b);
      edges.add(p);
      edges.add(Math.nextUp(p));
      edges.add(Math.nextDown(p));
    }
    for (int i = 0; i <= 10_000; i++) {
      edges.add((float) i);
      edges.add(i / 1000f);
      edges.add(i / 1e7f);
    }
    for (float v : edges) {
      assertThat(written(v)).as("bits %08x", Float.floatToRawIntBits(v)).isEqualTo(jackson(v));
      assertThat(written(-v)).as("bits %08x", Float.floatToRawIntBits(-v)).isEqualTo(jackson(-v));
    }
  }

  @Test
  void randomBitPatternsAndRandomProbabilities() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 2_000_000; i++) {
      float any = Float.intBitsToFloat(random.nextInt());
      assertThat(written(any)).as("bits %08x", Float.floatToRawIntBits(any)).isEqualTo(jackson(any));
      float probability = (float) random.nextDouble();
      assertThat(written(probability)).as("bits %08x", Float.floatToRawIntBits(probability)).isEqualTo(jackson(probability));
    }
  }

  @Test
  void writtenTextReadsBackAsTheSameFloat() {
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 200_000; i++) {
      float v = Float.intBitsToFloat(random.nextInt());
      if (Float.isFinite(v)) {
        assertThat(Float.parseFloat(written(v))).isEqualTo(v);
      }
    }
  }
}
