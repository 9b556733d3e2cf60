package dev.almanac.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.testbed.Tools;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The chart ships exactly the CRDs this build generates (Helm installs them from crds/). */
class ChartCrdsTest {
  @Test
  void chartCrdsEqualGeneratedCrds() throws IOException {
    var generated = Tools.projectDir().resolve("crds/target/classes/META-INF/fabric8");
    var chart = Tools.projectDir().resolve("helm/almanac/crds");
    for (var name :
        new String[] {
          "forecastpipelines.almanac.dev-v1.yml", "modeldeployments.almanac.dev-v1.yml"
        }) {
      assertThat(chart.resolve(name))
          .as("helm/almanac/crds/%s is stale; run `make crds` and commit the result", name)
          .exists()
          .hasContent(Files.readString(generated.resolve(name)));
    }
  }
}
