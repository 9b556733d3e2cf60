package dev.almanac.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MlflowModelMetadataTest {
  /** As {@code mlflow.onnx.log_model} of MLflow 3 writes it (shortened). */
  private static final String ONNX =
      """
      artifact_path: mlflow-artifacts:/1/models/m-0a1b/artifacts
      flavors:
        onnx:
          code: null
          data: model.onnx
          onnx_version: 1.19.1
          providers: [CPUExecutionProvider]
        python_function:
          data: model.onnx
          loader_module: mlflow.onnx
      mlflow_version: 3.17.2
      model_id: m-0a1b
      model_size_bytes: 1234
      signature:
        inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}, "name": "float_input"}]'
        outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}, "name": "label"}]'
        params: null
      """;

  @Test
  void readsFlavorsSignatureAndIdentity() {
    var m = MlflowModelMetadata.parse(ONNX, "test");
    assertThat(m.hasOnnxFlavor()).isTrue();
    assertThat(m.onnxFile()).contains("model.onnx");
    assertThat(m.flavors()).containsExactly("onnx", "python_function");
    assertThat(m.signatureInputs())
        .containsExactly(
            new MlflowModelMetadata.SignatureTensor(
                "float_input", "float32", java.util.List.of(-1L, 4L)));
    assertThat(m.modelId()).contains("m-0a1b");
    assertThat(m.mlflowVersion()).contains("3.17.2");
    assertThat(m.modelSizeBytes()).hasValue(1234);
  }

  @Test
  void aSklearnModelHasNoOnnxFlavorAndSaysSo() {
    var m =
        MlflowModelMetadata.parse(
            """
            flavors:
              python_function: {loader_module: mlflow.sklearn}
              sklearn: {pickled_model: model.pkl}
            mlflow_version: 2.22.5
            """,
            "test");
    assertThat(m.hasOnnxFlavor()).isFalse();
    assertThat(m.signatureInputs()).isEmpty();
    assertThat(m.noOnnxFlavor("version 2 of iris").getMessage())
        .isEqualTo(
            "no onnx flavor; Almanac serves ONNX (version 2 of iris has flavors python_function,"
                + " sklearn; log it with mlflow.onnx.log_model)");
  }

  @Test
  void somethingElseIsNotAnMlmodel() {
    assertThatThrownBy(() -> MlflowModelMetadata.parse("- a\n- b\n", "MLmodel of v1"))
        .isInstanceOf(ArtifactIntegrityException.class)
        .hasMessageContaining("MLmodel of v1 is not a readable MLmodel");
  }
}
