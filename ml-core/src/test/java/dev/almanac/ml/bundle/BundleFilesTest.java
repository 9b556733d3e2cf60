package dev.almanac.ml.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a server or a batch prediction downloads of a registered bundle. */
class BundleFilesTest {
  @Test
  void theValidationWindowModelIsNotReadForPrediction() {
    assertThat(BundleFiles.readForPrediction("model.onnx")).isTrue();
    assertThat(BundleFiles.readForPrediction("almanac.json")).isTrue();
    assertThat(BundleFiles.readForPrediction("series/USA.onnx")).isTrue();
    assertThat(BundleFiles.readForPrediction("validation/model.onnx")).isFalse();
    assertThat(BundleFiles.readForPrediction("validation/almanac.json")).isFalse();
    assertThat(BundleFiles.readForPrediction("validation.txt")).isTrue();
  }
}
