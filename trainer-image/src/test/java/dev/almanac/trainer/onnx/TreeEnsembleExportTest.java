package dev.almanac.trainer.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Boundary semantics of the exported trees, checked in ONNX Runtime on hand-made trees. */
class TreeEnsembleExportTest {
  /** x0 (<= or <) 0.5 → leaf 1 (value 10), else leaf 2 (value 20); NaN → the false side. */
  private static DecisionTree stump(boolean missingTrue) {
    return new DecisionTree(
        new int[] {0, 0, 0},
        new float[] {0.5f, 0, 0},
        new int[] {1, 0, 0},
        new int[] {2, 0, 0},
        new boolean[] {missingTrue, false, false},
        new double[][] {null, {10}, {20}});
  }

  @Test
  void leqAndLtDifferExactlyAtTheThreshold() throws Exception {
    double[][] rows = {{0.5}, {Math.nextDown(0.5f)}, {Math.nextUp(0.5f)}, {Double.NaN}};
    OnnxMl.ModelProto leq =
        TreeEnsembleExport.regressor(
            List.of(stump(false)),
            1,
            TreeEnsembleExport.Comparison.LEQ,
            TreeEnsembleExport.Aggregate.SUM,
            0.0,
            "leq");
    OnnxMl.ModelProto lt =
        TreeEnsembleExport.regressor(
            List.of(stump(true)),
            1,
            TreeEnsembleExport.Comparison.LT,
            TreeEnsembleExport.Aggregate.SUM,
            1.5,
            "lt");
    try (OrtRunner a = new OrtRunner(leq);
        OrtRunner b = new OrtRunner(lt)) {
      assertThat(a.regress(rows)).containsExactly(10, 10, 20, 20);
      assertThat(b.regress(rows))
          .containsExactly(21.5, 11.5, 21.5, 11.5); // base value added, NaN tracks true
    }
    float[] nan = {Float.NaN};
    assertThat(stump(true).leafFor(nan, true)[0]).isEqualTo(10);
    assertThat(stump(false).leafFor(new float[] {0.5f}, false)[0]).isEqualTo(10);
  }

  @Test
  void averageAggregationDividesByTheNumberOfTrees() throws Exception {
    OnnxMl.ModelProto m =
        TreeEnsembleExport.regressor(
            List.of(stump(false), stump(false)),
            1,
            TreeEnsembleExport.Comparison.LEQ,
            TreeEnsembleExport.Aggregate.AVERAGE,
            0.0,
            "avg");
    try (OrtRunner r = new OrtRunner(m)) {
      assertThat(r.regress(new double[][] {{0}, {1}})).containsExactly(10, 20);
    }
  }

  @Test
  void aTreeThatIsOneLeafAddsItsValueToEveryRow() throws Exception {
    var leaf =
        new DecisionTree(
            new int[] {0},
            new float[] {0},
            new int[] {0},
            new int[] {0},
            new boolean[] {false},
            new double[][] {{7}});
    OnnxMl.ModelProto m =
        TreeEnsembleExport.regressor(
            List.of(stump(false), leaf, stump(false)),
            1,
            TreeEnsembleExport.Comparison.LEQ,
            TreeEnsembleExport.Aggregate.AVERAGE,
            0.0,
            "with a leaf");
    assertThat(m.getGraph().getNode(0).getOpType()).isEqualTo("TreeEnsemble");
    assertThat(m.getOpsetImportList())
        .anyMatch(o -> o.getDomain().equals("ai.onnx.ml") && o.getVersion() == 5);
    try (OrtRunner r = new OrtRunner(m)) {
      assertThat(r.regress(new double[][] {{0}, {1}, {Double.NaN}}))
          .containsExactly(9, 47f / 3, 47f / 3);
    }
  }

  @Test
  void ensembleRejectsMembersWithoutTheStandardInputAndOutput() {
    OnnxMl.ModelProto ok = LinearExport.regressor(new double[] {1, 2}, 0, "ok");
    OnnxMl.ModelProto classifier =
        LinearExport.softmaxClassifier(new double[][] {{1, 0}, {0, 1}}, new double[] {0, 0}, "c");
    assertThatThrownBy(
            () -> OnnxEnsemble.weightedSum(List.of(ok, classifier), new double[] {0.5, 0.5}))
        .hasMessageContaining("member 1")
        .hasMessageContaining("prediction");
    assertThatThrownBy(() -> OnnxEnsemble.weightedSum(List.of(ok), new double[] {0.5, 0.5}))
        .hasMessageContaining("1 members but 2 weights");
  }

  @Test
  void ensembleOfLinearMembersIsTheWeightedSum() throws Exception {
    OnnxMl.ModelProto a = LinearExport.regressor(new double[] {1, 2}, 3, "a");
    OnnxMl.ModelProto b = LinearExport.regressor(new double[] {-1, 0}, 1, "b");
    try (OrtRunner r =
        new OrtRunner(OnnxEnsemble.weightedSum(List.of(a, b), new double[] {0.75, 0.25}))) {
      // a(1,1) = 6, b(1,1) = 0 → 4.5; a(2,0) = 5, b(2,0) = -1 → 3.5
      assertThat(r.regress(new double[][] {{1, 1}, {2, 0}})).containsExactly(4.5, 3.5);
    }
  }
}
