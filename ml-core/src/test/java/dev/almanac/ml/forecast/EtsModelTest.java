package dev.almanac.ml.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.almanac.ml.bundle.BundleJson;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EtsModelTest {
  @Test
  void multiplicativeForecastFollowsTheSmoothingEquationsOnYPlusOne() {
    // Season of 2, alpha 0.5, beta 0.2, gamma 0.3, phi 0.9, l0 10, b0 1, s0 (1.2, 0.8); the model
    // sees y + 1.
    EtsModel m =
        new EtsModel(0.5, 0.2, 0.3, 0.9, 10, 1, new double[] {1.2, 0.8}, EtsModel.MULTIPLICATIVE);
    double[] y = {12, 9, 15};
    // t=0: base = 10 + 0.9*1 = 10.9; l = 0.5*13/1.2 + 0.5*10.9 = 10.866667; s2 = 0.3*13/10.9 +
    // 0.7*1.2 = 1.197798;
    //      b = 0.2*(10.866667-10) + 0.8*0.9*1 = 0.893333
    // t=1: base = 11.670667; l = 0.5*10/0.8 + 0.5*11.670667 = 12.085333; s3 = 0.3*10/11.670667 +
    // 0.7*0.8 = 0.817055;
    //      b = 0.2*(12.085333-10.866667) + 0.72*0.893333 = 0.886933
    // t=2: base = 12.883573; l = 0.5*16/1.197798 + 0.5*12.883573 = 13.120708; s4 = 0.3*16/12.883573
    // + 0.7*1.197798 = 1.211026;
    //      b = 0.2*(13.120708-12.085333) + 0.72*0.886933 = 0.845667
    // h=1: (l + 0.9 b) * s3 - 1; h=2: (l + 1.71 b) * s4 - 1; h=3: (l + 2.439 b) * s3 - 1
    double[] fc = m.forecast(y, 3);
    assertThat(fc[0])
        .isCloseTo(
            (13.120708235294119 + 0.9 * 0.8456669803921573) * 0.817054724094596 - 1, within(1e-9));
    assertThat(fc)
        .containsExactly(
            new double[] {10.342197228320131, 16.640774389574773, 11.405578822182736},
            within(1e-9));
  }

  @Test
  void additiveIsTheDefaultAndUnchanged() {
    // seasonal null: a model from a bundle written before the multiplicative form existed
    EtsModel add = new EtsModel(0.5, 0.2, 0.3, 0.9, 10, 1, new double[] {2, -2}, null);
    assertThat(add.seasonal()).isNull();
    assertThat(add.multiplicative()).isFalse();
    // t=0: base 10.9, l = 0.5*(12-2) + 0.5*10.9 = 10.45, s2 = 0.3*(12-10.9) + 0.7*2 = 1.73, b =
    // 0.2*0.45 + 0.72 = 0.81
    // h=1: l + 0.9 b + s1 = 10.45 + 0.729 - 2
    assertThat(add.forecast(new double[] {12}, 1)[0]).isCloseTo(10.45 + 0.729 - 2, within(1e-12));
  }

  @Test
  void multiplicativeFitRecoversAWeeklyPatternThatGrowsWithTheLevel() {
    int n = 140;
    double[] y = new double[n + 14];
    double[] ratio = {1.3, 1.1, 1.0, 1.0, 0.9, 0.7, 1.0};
    for (int t = 0; t < y.length; t++) {
      y[t] = (50 + 2.0 * t) * ratio[t % 7] - 1;
    }
    double[] train = Arrays.copyOf(y, n);
    EtsModel mul = EtsModel.fit(train, EtsModel.MULTIPLICATIVE);
    EtsModel add = EtsModel.fit(train, EtsModel.ADDITIVE);
    assertThat(mul.multiplicative()).isTrue();
    assertThat(mul.sse(train)).isLessThan(add.sse(train));
    double[] fc = mul.forecast(train, 14);
    for (int h = 0; h < 14; h++) {
      assertThat(fc[h])
          .isCloseTo(y[n + h], within(0.05 * y[n + h])); // damping bends the trend a little
    }
    assertThat(Arrays.stream(mul.season0()).sum()).isCloseTo(7.0, within(1e-9));
  }

  @Test
  void seasonalFormAcceptsBothSpellingsAndRejectsOthers() {
    assertThat(EtsModel.seasonalForm(null)).isEqualTo(EtsModel.ADDITIVE);
    assertThat(EtsModel.seasonalForm("add")).isEqualTo(EtsModel.ADDITIVE);
    assertThat(EtsModel.seasonalForm("Multiplicative")).isEqualTo(EtsModel.MULTIPLICATIVE);
    assertThat(EtsModel.seasonalForm("mul")).isEqualTo(EtsModel.MULTIPLICATIVE);
    assertThatThrownBy(() -> EtsModel.seasonalForm("log"))
        .hasMessageContaining("seasonal must be additive or multiplicative")
        .hasMessageContaining("'log'");
  }

  @Test
  void jsonKeepsTheFormAndOldBundlesReadAsAdditive() throws Exception {
    ObjectMapper json = BundleJson.mapper(); // what bundles are written and read with
    EtsModel mul =
        new EtsModel(0.5, 0.2, 0.3, 0.9, 10, 1, new double[] {1.2, 0.8}, EtsModel.MULTIPLICATIVE);
    String text = json.writeValueAsString(mul);
    assertThat(json.readTree(text).path("seasonal").asText()).isEqualTo("multiplicative");
    assertThat(json.readValue(text, EtsModel.class)).isEqualTo(mul);
    EtsModel add = new EtsModel(0.5, 0.2, 0.3, 0.9, 10, 1, new double[] {2, -2}, null);
    assertThat(json.readTree(json.writeValueAsString(add)).has("seasonal")).isFalse();
    EtsModel old =
        json.readValue(
            "{\"alpha\":0.5,\"beta\":0.2,\"gamma\":0.3,\"phi\":0.9,\"level0\":10,\"trend0\":1,"
                + "\"season0\":[2,-2]}",
            EtsModel.class);
    assertThat(old).isEqualTo(add);
    assertThat(old.forecast(new double[] {12}, 1))
        .containsExactly(add.forecast(new double[] {12}, 1));
  }
}
