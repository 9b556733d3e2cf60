package dev.almanac.charttests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The chart's crds/ are the generated CRDs, byte for byte (they are copied, never edited). */
class ChartCrdsTest {
  @Test
  void chartCrdsAreTheGeneratedOnes() {
    var dir = Project.chart().resolve("crds");
    assumeThat(dir)
        .as("helm/almanac/crds/ not populated yet (the lead copies the generated CRDs there)")
        .isDirectory();
    for (var resource : CrdReference.CRD_RESOURCES) {
      var name = resource.substring(resource.lastIndexOf('/') + 1);
      var copy = dir.resolve(name);
      assertThat(copy).as("helm/almanac/crds/" + name).exists();
      assertThat(Project.read(copy))
          .as("helm/almanac/crds/" + name + " differs from the crds module's output; copy it again")
          .isEqualTo(Project.resource(resource));
    }
    assertThat(Files.exists(dir)).isTrue();
  }
}
