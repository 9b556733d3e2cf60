package dev.almanac.server.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a server downloads of a registered bundle. */
class RegistryModelSourceTest {
  @Test
  void theValidationWindowModelIsNotDownloadedForServing() {
    assertThat(RegistryModelSource.served("model.onnx")).isTrue();
    assertThat(RegistryModelSource.served("almanac.json")).isTrue();
    assertThat(RegistryModelSource.served("series/USA.onnx")).isTrue();
    assertThat(RegistryModelSource.served("validation/model.onnx")).isFalse();
    assertThat(RegistryModelSource.served("validation/almanac.json")).isFalse();
    assertThat(RegistryModelSource.served("validation.txt")).isTrue();
  }
}
