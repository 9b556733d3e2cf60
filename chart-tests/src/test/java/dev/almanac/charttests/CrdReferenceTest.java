package dev.almanac.charttests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * docs/crd-reference.md is what the current CRDs generate (regenerate with
 * -Dalmanac.updateDocs=true).
 */
class CrdReferenceTest {
  @Test
  void committedReferenceMatchesTheCrds() throws IOException {
    var file = Project.docs().resolve("crd-reference.md");
    var generated = CrdReference.generate();
    if (Boolean.getBoolean("almanac.updateDocs")) {
      Files.writeString(file, generated);
    }
    assertThat(file)
        .as(
            "docs/crd-reference.md is missing; run mvn -o -q -B -pl chart-tests test -Dtest=CrdReferenceTest -Dalmanac.updateDocs=true")
        .exists();
    assertThat(Files.readString(file))
        .as(
            "docs/crd-reference.md is stale; run mvn -o -q -B -pl chart-tests test -Dtest=CrdReferenceTest -Dalmanac.updateDocs=true")
        .isEqualTo(generated);
  }

  @Test
  void referenceCoversEveryFieldOfBothKinds() {
    var doc = CrdReference.generate();
    assertThat(doc)
        .contains(
            "## ForecastPipeline",
            "## ModelDeployment",
            "`spec.schedule`",
            "`spec.model.alias`",
            "`status.conditions[].type`",
            "`kubectl get` columns",
            "validation rules (CEL)");
  }
}
