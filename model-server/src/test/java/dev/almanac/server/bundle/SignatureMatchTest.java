package dev.almanac.server.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.ml.onnx.TensorSpec;
import dev.almanac.registry.MlflowModelMetadata.SignatureTensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureMatchTest {
  private static final List<TensorSpec> GRAPH =
      List.of(new TensorSpec("float_input", "float32", List.of(-1L, 4L)));

  @Test
  void aNamedTensorSignatureMatchesByNameDtypeAndShape() {
    assertThat(
            MlflowOnnxModelLoader.signatureMismatch(
                GRAPH, List.of(new SignatureTensor("float_input", "float32", List.of(-1L, 4L)))))
        .isNull();
  }

  @Test
  void anUnnamedTensorMatchesByPosition() {
    assertThat(
            MlflowOnnxModelLoader.signatureMismatch(
                GRAPH, List.of(new SignatureTensor("", "float32", List.of(-1L, 4L)))))
        .isNull();
  }

  @Test
  void noSignatureIsAccepted() {
    assertThat(MlflowOnnxModelLoader.signatureMismatch(GRAPH, List.of())).isNull();
  }

  @Test
  void anotherNameIsNamed() {
    assertThat(
            MlflowOnnxModelLoader.signatureMismatch(
                GRAPH, List.of(new SignatureTensor("features", "float32", List.of(-1L, 4L)))))
        .contains("graph input 'float_input' is not in the signature")
        .contains("features");
  }

  @Test
  void anotherDtypeOrWidthIsNamed() {
    assertThat(
            MlflowOnnxModelLoader.signatureMismatch(
                GRAPH, List.of(new SignatureTensor("float_input", "float64", List.of(-1L, 4L)))))
        .contains("float64");
    assertThat(
            MlflowOnnxModelLoader.signatureMismatch(
                GRAPH, List.of(new SignatureTensor("float_input", "float32", List.of(-1L, 5L)))))
        .contains("[-1, 5]");
  }

  @Test
  void columnsMustCountTheFeatures() {
    var three =
        List.of(
            new SignatureTensor("a", "double", List.of()),
            new SignatureTensor("b", "double", List.of()),
            new SignatureTensor("c", "double", List.of()));
    assertThat(MlflowOnnxModelLoader.signatureMismatch(GRAPH, three))
        .contains("takes 4 features, the signature has 3 columns");
  }
}
