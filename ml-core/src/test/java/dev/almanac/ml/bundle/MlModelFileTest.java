package dev.almanac.ml.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.almanac.ml.onnx.TensorSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MLmodel a bundle carries says who wrote it and claims no Python MLflow release. */
class MlModelFileTest {
  @TempDir Path tmp;

  @Test
  void mlmodelNamesAlmanacsFormatAndNoPythonMlflowVersion() throws Exception {
    var meta =
        new BundleMetadata(
            1, BundleMetadata.CLASSIFICATION, "disease", "3", "t", "p", "r", null, null, null);
    new BundleWriter(tmp)
        .onnx(BundleFiles.MODEL_ONNX, BundleRoundTripTest.onnx("softmax4x3.onnx"))
        .metadata(meta)
        .signature(
            List.of(new TensorSpec("features", "float32", List.of(-1L, 4L))),
            List.of(new TensorSpec("label", "int64", List.of(-1L))))
        .write();

    var mlmodel = new ObjectMapper(new YAMLFactory()).readTree(tmp.resolve("MLmodel").toFile());
    assertThat(mlmodel.has("mlflow_version")).isFalse();
    assertThat(mlmodel.path("metadata").path("almanac.format_version").asText()).isEqualTo("1");
    assertThat(mlmodel.path("flavors").path("python_function").path("loader_module").asText())
        .isEqualTo("mlflow.onnx");
    assertThat(Files.readString(tmp.resolve(BundleFiles.REQUIREMENTS)))
        .startsWith("mlflow>=2.22,<4\n")
        .doesNotContain("==");
    var conda =
        new ObjectMapper(new YAMLFactory()).readTree(tmp.resolve(BundleFiles.CONDA).toFile());
    assertThat(conda.path("dependencies").get(2).path("pip").get(0).asText())
        .isEqualTo("mlflow>=2.22,<4");
  }
}
