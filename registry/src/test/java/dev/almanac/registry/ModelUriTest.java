package dev.almanac.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelUriTest {

  @Test
  void parsesVersionAliasStageAndLatest() {
    assertThat(ModelUri.parse("models:/covid-cases/7"))
        .isEqualTo(new ModelUri.Version("covid-cases", 7));
    assertThat(ModelUri.parse("models:/covid-cases@production"))
        .isEqualTo(new ModelUri.Alias("covid-cases", "production"));
    assertThat(ModelUri.parse("models:/covid-cases/Production"))
        .isEqualTo(new ModelUri.StageRef("covid-cases", Stage.PRODUCTION));
    assertThat(ModelUri.parse("models:/covid-cases/staging"))
        .isEqualTo(new ModelUri.StageRef("covid-cases", Stage.STAGING));
    assertThat(ModelUri.parse("models:/covid-cases/latest"))
        .isEqualTo(new ModelUri.Latest("covid-cases"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "models:/m/7",
        "models:/m@champion",
        "models:/m/Production",
        "models:/m/None",
        "models:/m/latest",
        "models:/disease.rf_v2/12"
      })
  void canonicalFormRoundTrips(String uri) {
    assertThat(ModelUri.parse(uri).toString()).isEqualTo(uri);
  }

  @Test
  void stageIsCanonicalisedInToString() {
    assertThat(ModelUri.parse("models:/m/PRODUCTION")).hasToString("models:/m/Production");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "runs:/abc/model",
        "models:/",
        "models:/m",
        "models:/m/",
        "models:/m/7/extra",
        "models:/@a",
        "models:/m@",
        "models:/m@a/b",
        "models://m/7",
        "models:/m/0",
        "s3://b/k"
      })
  void rejectsMalformedUris(String uri) {
    assertThatThrownBy(() -> ModelUri.parse(uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(uri.equals("models:/m/0") ? "version must be >= 1" : uri);
  }

  @Test
  void unknownStageNamesTheSuffix() {
    assertThatThrownBy(() -> ModelUri.parse("models:/m/Prod"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Prod' is neither a version number, 'latest', nor a stage");
  }

  @Test
  void stageParsingIsCaseInsensitiveAndStrict() {
    assertThat(Stage.parse("archived")).isEqualTo(Stage.ARCHIVED);
    assertThat(Stage.parse("None")).isEqualTo(Stage.NONE);
    assertThatThrownBy(() -> Stage.parse("Canary")).hasMessageContaining("Canary");
  }
}
