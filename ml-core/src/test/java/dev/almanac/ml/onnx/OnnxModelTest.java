package dev.almanac.ml.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class OnnxModelTest {
  static Path resource(String name) throws Exception {
    return Path.of(OnnxModelTest.class.getResource("/onnx/" + name).toURI());
  }

  /** linear13.onnx: prediction = sum_i features[i] * 0.01 * (i + 1) + 0.5. */
  static double expected(float[] row) {
    double s = 0.5;
    for (int i = 0; i < row.length; i++) {
      s += row[i] * 0.01 * (i + 1);
    }
    return s;
  }

  @Test
  void predictsSingleRowsAndBatchesAndDescribesItsInput() throws Exception {
    try (OnnxModel m = OnnxModel.load(resource("linear13.onnx"))) {
      assertThat(m.inputName()).isEqualTo("features");
      assertThat(m.inputShape()).containsExactly(-1, 13);
      float[] row = new float[13];
      row[0] = 10;
      row[12] = 2;
      assertThat(m.predict(row)).isCloseTo(expected(row), within(1e-5));
      float[][] rows = new float[5][13];
      for (int i = 0; i < 5; i++) {
        rows[i][3] = i;
      }
      double[] out = m.predict(rows);
      for (int i = 0; i < 5; i++) {
        assertThat(out[i]).isCloseTo(expected(rows[i]), within(1e-5));
      }
    }
  }

  @Test
  void namedOutputsOfAClassifier() throws Exception {
    try (OnnxModel m = OnnxModel.load(resource("softmax4x3.onnx"))) {
      var out = m.run(new float[][] {{0, 0, 1, 0}});
      assertThat(out).containsOnlyKeys("label", "probabilities");
      assertThat(out.get("label").data()).containsExactly(2f);
      assertThat(out.get("probabilities").shape()).containsExactly(1, 3);
    }
  }

  @Test
  void isSafeUnderConcurrentCalls() throws Exception {
    try (OnnxModel m = OnnxModel.load(resource("linear13.onnx"))) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Boolean>> fs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          final int seed = t;
          fs.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < 50; i++) {
                      float[] row = new float[13];
                      row[seed % 13] = i;
                      if (Math.abs(m.predict(row) - expected(row)) > 1e-4) {
                        return false;
                      }
                    }
                    return true;
                  }));
        }
        for (Future<Boolean> f : fs) {
          assertThat(f.get()).isTrue();
        }
      } finally {
        pool.shutdown();
      }
    }
  }

  @Test
  void typedTensorsInAndOutAndAClosedModelRefusesCalls() throws Exception {
    OnnxModel m = OnnxModel.load(resource("softmax4x3.onnx"));
    assertThat(m.inputs()).extracting(TensorSpec::dtype).containsExactly("float32");
    assertThat(m.outputs()).extracting(TensorSpec::name).containsExactly("label", "probabilities");
    List<ArrayTensor> out =
        m.run(
            List.of(
                new ArrayTensor(
                    m.inputName(), new long[] {2, 4}, new float[] {0, 0, 1, 0, 1, 0, 0, 0})));
    assertThat(out).extracting(ArrayTensor::name).containsExactly("label", "probabilities");
    assertThat((long[]) out.get(0).data()).containsExactly(2L, 0L);
    assertThat(out.get(0).dtype()).isEqualTo("int64");
    assertThat(out.get(1).shape()).containsExactly(2, 3);
    m.close();
    m.close();
    assertThatThrownBy(() -> m.run(new float[][] {{0, 0, 1, 0}})).hasMessageContaining("closed");
  }

  @Test
  void singleRowsOfDifferentWidthsOnOneThreadAndAfterClose() throws Exception {
    OnnxModel m = OnnxModel.load(resource("linear13.onnx"));
    float[] row = new float[13];
    for (int i = 0; i < 3; i++) {
      row[i] = i + 1;
      assertThat(m.predict(row)).isCloseTo(expected(row), within(1e-5));
    }
    // a wrong width is ONNX Runtime's error, and the next right-width call still works
    assertThatThrownBy(() -> m.predict(new float[12])).isInstanceOf(IllegalStateException.class);
    assertThat(m.predict(row)).isCloseTo(expected(row), within(1e-5));
    m.close();
    assertThatThrownBy(() -> m.predict(row)).hasMessageContaining("closed");
  }

  @Test
  void aMultiThreadedSessionGivesTheSameAnswers() throws Exception {
    try (OnnxModel m = OnnxModel.load(resource("linear13.onnx"), 2)) {
      float[][] rows = new float[3][13];
      rows[1][5] = 4;
      double[] out = m.predict(rows);
      for (int i = 0; i < 3; i++) {
        assertThat(out[i]).isCloseTo(expected(rows[i]), within(1e-5));
      }
    }
    assertThatThrownBy(() -> OnnxModel.load(resource("linear13.onnx"), 0))
        .hasMessageContaining("intraOpThreads");
  }

  @Test
  void missingFileIsAClearError() {
    assertThatThrownBy(() -> OnnxModel.load(Path.of("/nonexistent/model.onnx")))
        .hasMessageContaining("/nonexistent/model.onnx");
  }
}
