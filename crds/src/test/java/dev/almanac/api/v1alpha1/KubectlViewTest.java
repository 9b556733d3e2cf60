package dev.almanac.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.testbed.KubeApiServer;
import dev.almanac.testbed.KubeApiServerExtension;
import dev.almanac.testbed.Tools;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a user sees: the examples apply as they are, kubectl shows the printer columns, scale works.
 */
@Tag("integration")
@ExtendWith(KubeApiServerExtension.class)
class KubectlViewTest {
  private static final String NS = "examples";
  private static KubeApiServer kube;

  @BeforeAll
  static void applyExamples(KubeApiServer server) throws Exception {
    kube = server;
    kube.applyAlmanacCrds();
    kube.client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
    var examples = Tools.projectDir().resolve("examples");
    for (var file :
        List.of(
            "covid-forecast/pipeline.yaml",
            "covid-forecast/model-deployment.yaml",
            "disease-classifier/pipeline.yaml",
            "disease-classifier/model-deployment.yaml")) {
      var out =
          kubectl(
              "apply",
              "--server-side",
              "--validate=strict",
              "-n",
              NS,
              "-f",
              examples.resolve(file).toString());
      assertThat(out.code()).as("kubectl apply %s: %s", file, out.text()).isZero();
    }
  }

  @Test
  void examplesAreStoredWithTheirSpec() {
    var covid =
        kube.client()
            .resources(ForecastPipeline.class)
            .inNamespace(NS)
            .withName("covid-cases")
            .get();
    assertThat(covid.getSpec().getData().getSeries()).hasSize(10).contains("USA", "JPN");
    assertThat(covid.getSpec().getValidation().getHoldoutDays()).isEqualTo(60);
    var classifier =
        kube.client()
            .resources(ModelDeployment.class)
            .inNamespace(NS)
            .withName("disease-classifier")
            .get();
    assertThat(classifier.getSpec().getAutoscaling().getMaxReplicas()).isEqualTo(5);
  }

  @Test
  void kubectlGetShowsPrinterColumns() throws Exception {
    var fp = kubectl("get", "fp", "-n", NS);
    assertThat(fp.code()).isZero();
    assertThat(fp.text().lines().findFirst().orElseThrow())
        .matches("NAME\\s+TASK\\s+SCHEDULE\\s+LAST RUN\\s+PRODUCTION\\s+READY\\s+AGE\\s*");
    assertThat(fp.text()).contains("covid-cases").contains("0 3 * * *").contains("classification");

    var mdep = kubectl("get", "mdep", "-n", NS);
    assertThat(mdep.text().lines().findFirst().orElseThrow())
        .matches("NAME\\s+MODEL\\s+RESOLVED\\s+READY\\s+URL\\s+AGE\\s*");
    assertThat(mdep.text()).contains("disease-classifier");

    var both = kubectl("get", "fp,mdep", "-n", NS);
    assertThat(both.text())
        .contains("forecastpipeline.almanac.dev/covid-cases")
        .contains("modeldeployment.almanac.dev/covid-cases");
    var category = kubectl("get", "almanac", "-n", NS, "-o", "name");
    assertThat(category.text().lines()).hasSize(4);
  }

  @Test
  void kubectlScaleUsesTheScaleSubresource() throws Exception {
    var out = kubectl("scale", "mdep", "covid-cases", "-n", NS, "--replicas=3");
    assertThat(out.code()).as(out.text()).isZero();
    var md =
        kube.client()
            .resources(ModelDeployment.class)
            .inNamespace(NS)
            .withName("covid-cases")
            .get();
    assertThat(md.getSpec().getReplicas()).isEqualTo(3);
  }

  record Result(int code, String text) {}

  static Result kubectl(String... args) throws IOException, InterruptedException {
    var cmd = new ArrayList<String>();
    cmd.add(Tools.kubectl().toString());
    cmd.add("--kubeconfig=" + kube.kubeconfigFile());
    cmd.addAll(List.of(args));
    var process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl timed out: " + cmd);
    }
    return new Result(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @SuppressWarnings("unused")
  private static Path examples() {
    return Tools.projectDir().resolve("examples");
  }
}
