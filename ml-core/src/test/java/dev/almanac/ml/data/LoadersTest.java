package dev.almanac.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.almanac.ml.TestData;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadersTest {
  @TempDir Path tmp;

  @Test
  void loadsRequestedOwidSeriesFromTheGzipSlimFile() {
    LongTable t =
        LongTableLoader.owid("new_cases").load(TestData.owidSlim(), List.of("USA", "DEU"));
    assertThat(t.series()).containsOnlyKeys("USA", "DEU");
    RawSeries usa = t.series().get("USA");
    assertThat(usa.dates().get(usa.size() - 1)).isEqualTo(LocalDate.of(2021, 4, 24));
    assertThat(t.rows()).isEqualTo(83_862);
    assertThat(t.sha256())
        .isEqualTo("e8cf27737623d9514a7747a7e0f7920541b1a5ef8bd10962c4de70b7e8f07ace");
  }

  @Test
  void withoutASeriesListAggregatesAreSkippedByEmptyContinent() {
    LongTable t = LongTableLoader.owid("new_cases").load(TestData.owidFull(), List.of());
    assertThat(t.series()).hasSize(210).containsKeys("OWID_KOS", "OWID_CYN");
    assertThat(t.aggregatesSkipped()).hasSize(9).contains("OWID_WRL", "OWID_EUN", "OWID_INT");
  }

  @Test
  void plainCsvAndMissingColumnAndBadDateAndBadNumberAreNamed() throws IOException {
    Path ok =
        write(
            "ok.csv",
            "iso_code,continent,date,new_cases\nAAA,Europe,2021-01-01,1.0\nAAA,Europe,2021-01-02,\n");
    assertThat(LongTableLoader.owid("new_cases").load(ok, List.of()).series().get("AAA").values())
        .containsExactly(1.0, Double.NaN);

    assertThatThrownBy(() -> LongTableLoader.owid("new_deaths").load(ok, List.of()))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("ok.csv")
        .hasMessageContaining("line 1")
        .hasMessageContaining("'new_deaths'")
        .hasMessageContaining("column not found");

    Path badDate =
        write(
            "bad-date.csv",
            "iso_code,continent,date,new_cases\nAAA,Europe,2021-01-01,1.0\nAAA,Europe,01/02/2021,2\n");
    assertThatThrownBy(() -> LongTableLoader.owid("new_cases").load(badDate, List.of()))
        .isInstanceOfSatisfying(
            DataFormatException.class,
            e -> {
              assertThat(e.line()).isEqualTo(3);
              assertThat(e.column()).isEqualTo("date");
            })
        .hasMessageContaining("bad date '01/02/2021'");

    Path badNum =
        write(
            "bad-num.csv",
            "iso_code,continent,date,new_cases\nAAA,Europe,2021-01-01,1.0\nAAA,Europe,2021-01-02,many\n");
    assertThatThrownBy(() -> LongTableLoader.owid("new_cases").load(badNum, List.of()))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("bad-num.csv, line 3, column 'new_cases': not a number: 'many'");

    assertThatThrownBy(() -> LongTableLoader.owid("new_cases").load(ok, List.of("ZZZ")))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("series 'ZZZ' not found");
    assertThatThrownBy(
            () -> LongTableLoader.owid("new_cases").load(tmp.resolve("nope.csv"), List.of()))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("file not found");
  }

  @Test
  void gzipIsDetectedByContentNotName() throws IOException {
    Path gz = tmp.resolve("data.csv");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      o.write(
          "iso_code,continent,date,new_cases\nAAA,Asia,2021-01-01,3.0\n"
              .getBytes(StandardCharsets.UTF_8));
    }
    assertThat(LongTableLoader.owid("new_cases").load(gz, List.of()).series().get("AAA").values())
        .containsExactly(3.0);
  }

  @Test
  void symptomTablesKeepDuplicateColumnsAndCleanLabels() {
    SymptomTable train =
        new SymptomTableLoader("prognosis").load(TestData.symptoms("Training.csv"));
    assertThat(train.rows()).isEqualTo(4920);
    assertThat(train.columns()).hasSize(132).contains("spotting_ urination");
    assertThat(train.columns().stream().filter("fluid_overload"::equals)).hasSize(2);
    assertThat(train.labels().stream().distinct())
        .hasSize(41)
        .contains("Diabetes", "Hypertension", "(vertigo) Paroymsal Positional Vertigo")
        .doesNotContain("Diabetes ");
    SymptomTable test =
        new SymptomTableLoader("prognosis").load(TestData.symptoms("Testing.csv")); // CRLF
    assertThat(test.rows()).isEqualTo(42);
    assertThat(test.columns()).isEqualTo(train.columns());
    assertThat(test.labels().get(test.rows() - 1)).doesNotEndWith("\r");
  }

  @Test
  void diseaseInfoJoinsEveryLabelDespiteSpellingDifferences() {
    SymptomTable train =
        new SymptomTableLoader("prognosis").load(TestData.symptoms("Training.csv"));
    Map<String, DiseaseInfo> info =
        DiseaseInfoLoader.load(
            train.labels().stream().distinct().toList(),
            TestData.symptoms("symptom_Description.csv"),
            TestData.symptoms("symptom_precaution.csv"));
    assertThat(info).hasSize(41);
    assertThat(info.values())
        .allSatisfy(
            i -> {
              assertThat(i.description()).isNotBlank();
              assertThat(i.precautions()).isNotEmpty();
            });
    assertThat(info.get("Dimorphic hemmorhoids(piles)").description()).isNotBlank();
    assertThat(info.get("Diabetes").precautions()).isNotEmpty();
  }

  @Test
  void symptomTableErrorsNameTheCell() throws IOException {
    Path bad = write("t.csv", "itching,prognosis\n1,Flu\nyes,Flu\n");
    assertThatThrownBy(() -> new SymptomTableLoader("prognosis").load(bad))
        .hasMessageContaining("line 3")
        .hasMessageContaining("'itching'");
    assertThatThrownBy(() -> new SymptomTableLoader("label").load(bad))
        .hasMessageContaining("'label'");
  }

  private Path write(String name, String content) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, content);
    return p;
  }
}
