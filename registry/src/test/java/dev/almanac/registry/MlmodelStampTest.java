package dev.almanac.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlmodelStampTest {
  private static final LoggedModel MODEL =
      new LoggedModel(
          "m-0123456789abcdef0123456789abcdef",
          "7",
          "model",
          "mlflow-artifacts:/almanac/covid/models/m-0123456789abcdef0123456789abcdef/artifacts",
          LoggedModelStatus.PENDING,
          "r1",
          ModelPublisher.MODEL_TYPE,
          Map.of(),
          Map.of());

  @Test
  void addsTheLoggedModelsIdentityAndKeepsTheRest(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("MLmodel"),
        """
        artifact_path: model
        flavors:
          onnx: {code: null, data: model.onnx, onnx_version: 1.17.0}
        model_uuid: abc
        signature:
          inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 3]}, "name": "features"}]'
          outputs: '[]'
        metadata: {almanac.task: forecast}
        """);

    MlmodelStamp.stamp(dir, MODEL);

    var m = MlflowModelMetadata.parse(Files.readString(dir.resolve("MLmodel")), "stamped");
    assertThat(m.modelId()).contains(MODEL.modelId());
    assertThat(m.onnxFile()).contains("model.onnx");
    assertThat(m.metadata()).containsEntry("almanac.task", "forecast");
    assertThat(m.signatureInputs())
        .containsExactly(
            new MlflowModelMetadata.SignatureTensor("features", "float32", List.of(-1L, 3L)));
    assertThat(Files.readString(dir.resolve("MLmodel")))
        .contains("run_id: r1")
        .contains("artifact_path: " + MODEL.artifactUri())
        .contains("model_uuid: abc");
  }

  @Test
  void aDirectoryWithoutMlmodelIsLeftAlone(@TempDir Path dir) throws Exception {
    MlmodelStamp.stamp(dir, MODEL);
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void trainingDatasetIsTheTrainingInputOrTheOnlyOne() {
    var owid = new Dataset("owid", "d1", "http", "{}", "", "");
    var holdout = new Dataset("holdout", "d2", "http", "{}", "", "");
    var info =
        new RunInfo(
            "r1", "7", "run", RunStatus.RUNNING, "s3://b/r1/artifacts", 0, Optional.empty());
    var twoInputs =
        new Run(
            info,
            Map.of(),
            Map.of(),
            Map.of(),
            List.of(DatasetInput.of(holdout, "holdout"), DatasetInput.of(owid, "training")));
    assertThat(ModelPublisher.trainingDataset(twoInputs)).contains(owid);
    var oneInput =
        new Run(info, Map.of(), Map.of(), Map.of(), List.of(DatasetInput.of(holdout, "eval")));
    assertThat(ModelPublisher.trainingDataset(oneInput)).contains(holdout);
    var ambiguous =
        new Run(
            info,
            Map.of(),
            Map.of(),
            Map.of(),
            List.of(DatasetInput.of(holdout, "eval"), DatasetInput.of(owid, "test")));
    assertThat(ModelPublisher.trainingDataset(ambiguous)).isEmpty();
  }
}
