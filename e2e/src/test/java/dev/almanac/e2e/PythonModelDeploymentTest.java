package dev.almanac.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.almanac.api.v1alpha1.common.ConditionType;
import dev.almanac.api.v1alpha1.common.Conditions;
import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.demo.local.LocalImages;
import dev.almanac.demo.local.LocalRunner;
import dev.almanac.testbed.KubeApiServer;
import dev.almanac.testbed.ManagedProcess;
import dev.almanac.testbed.MlflowTestBed;
import dev.almanac.testbed.PythonRegisteredModels;
import dev.almanac.testbed.PythonRegisteredModels.Variant;
import dev.almanac.testbed.Timeouts;
import dev.almanac.testbed.Tools;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model registered by MLflow's Python client ({@code mlflow.onnx.log_model} of a scikit-learn
 * classifier converted with skl2onnx) served by a minimal ModelDeployment ({@code model:
 * {registeredModel, alias}}, {@code replicas}) through the operator jar, its platform defaults and
 * the model server jar (run by the local runner). Then the alias moves to a version without an onnx
 * flavor: the ModelDeployment says so and keeps serving. Runs on MLflow 3; {@link
 * PythonModelDeploymentMlflow2Test} on 2.22.
 */
@Tag("integration")
@ExtendWith(MlflowTestBed.class)
class PythonModelDeploymentTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path state;

  @Test
  void aMinimalModelDeploymentServesAPythonRegisteredOnnxModel(MlflowTestBed.Endpoints bed)
      throws Exception {
    var suffix = UUID.randomUUID().toString().substring(0, 8);
    var ns = "pymodel-" + suffix;
    var model = "iris-" + suffix;
    var registered = PythonRegisteredModels.register(bed, model, Variant.ONNX, "production");

    var kube = KubeApiServer.shared();
    kube.applyAlmanacCrds();
    var kubeconfig = state.resolve("kubeconfig");
    Files.writeString(kubeconfig, kube.kubeconfigYaml());
    KubernetesClient client = kube.newClient();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("s3-credentials")
                .endMetadata()
                .addToStringData("AWS_ACCESS_KEY_ID", bed.accessKey())
                .addToStringData("AWS_SECRET_ACCESS_KEY", bed.secretKey())
                .build())
        .create();

    var images = LocalImages.ofProject(Tools.projectDir());
    int operatorPort = ManagedProcess.freePort();
    var operatorEnv = new LinkedHashMap<String, String>();
    operatorEnv.put("KUBECONFIG", kubeconfig.toString());
    operatorEnv.put("ALMANAC_WATCH_NAMESPACES", ns);
    operatorEnv.put("ALMANAC_SERVER_IMAGE", "almanac-model-server:local");
    operatorEnv.put("ALMANAC_TRAINER_IMAGE", "almanac-trainer:local");
    operatorEnv.put("ALMANAC_HTTP_PORT", Integer.toString(operatorPort));
    operatorEnv.put("ALMANAC_REGISTRY_POLL_SECONDS", "5");
    operatorEnv.put("ALMANAC_LEASE_NAME", "almanac-" + suffix);
    // the platform's MLflow and S3: the ModelDeployment names neither
    operatorEnv.put("ALMANAC_DEFAULT_MLFLOW_TRACKING_URI", bed.trackingUri().toString());
    operatorEnv.put("ALMANAC_DEFAULT_S3_BUCKET", bed.bucket());
    operatorEnv.put("ALMANAC_DEFAULT_S3_ENDPOINT", bed.s3Endpoint().toString());
    operatorEnv.put("ALMANAC_DEFAULT_S3_REGION", bed.region());
    operatorEnv.put("ALMANAC_DEFAULT_S3_PATH_STYLE", "true");
    operatorEnv.put("ALMANAC_DEFAULT_S3_CREDENTIALS_SECRET", "s3-credentials");
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    try (var runner =
            new LocalRunner(
                    client,
                    images,
                    state.resolve("work"),
                    Map.of("DJL_OFFLINE", "true", "OPT_OUT_TRACKING", "true"))
                .start();
        var operator =
            ManagedProcess.start(
                "almanac operator",
                List.of(java, "-jar", images.requireJar("almanac-operator").toString()),
                operatorEnv,
                state.resolve("operator.log"),
                URI.create("http://127.0.0.1:" + operatorPort + "/readyz"),
                Timeouts.seconds(90))) {
      var minimal =
          """
          apiVersion: almanac.dev/v1alpha1
          kind: ModelDeployment
          metadata: {name: iris, namespace: %s}
          spec:
            model: {registeredModel: %s, alias: production}
            replicas: 1
          """
              .formatted(ns, model);
      client.resource(Serialization.unmarshal(minimal, ModelDeployment.class)).create();

      await()
          .atMost(Timeouts.seconds(180))
          .ignoreExceptions()
          .until(
              () ->
                  registered.version().equals(md(client, ns).getStatus().getServingVersion())
                      && condition(client, ns, ConditionType.READY).equals("True"));
      var kubectl = kubectl(kubeconfig, ns);
      System.out.println("kubectl get mdep -n " + ns + "\n" + kubectl);
      assertThat(kubectl).contains("iris").contains(model);

      var url = runner.endpoints(ns, "iris").get(0);
      var expected = registered.probabilities();
      var probabilities = probabilities(url, model, registered.rows());
      for (int i = 0; i < expected.length; i++) {
        for (int k = 0; k < expected[i].length; k++) {
          assertThat(probabilities.get(i * 3 + k).asDouble())
              .isCloseTo(expected[i][k], within(1e-4));
        }
      }

      // the alias moves to a version Almanac cannot serve: said on the resource, nothing rolls
      var sklearn = PythonRegisteredModels.register(bed, model, Variant.SKLEARN, "production");
      await()
          .atMost(Timeouts.seconds(60))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                var resolved =
                    Conditions.find(
                            md(client, ns).getStatus().getConditions(),
                            ConditionType.MODEL_RESOLVED)
                        .orElseThrow();
                assertThat(resolved.getReason()).isEqualTo("ModelNotServable");
                assertThat(resolved.getMessage())
                    .contains("no onnx flavor; Almanac serves ONNX")
                    .contains("version " + sklearn.version());
              });
      assertThat(
              client.v1().events().inNamespace(ns).list().getItems().stream()
                  .filter(e -> "ModelNotServable".equals(e.getReason()))
                  .map(e -> e.getMessage()))
          .anySatisfy(m -> assertThat(m).contains("no onnx flavor; Almanac serves ONNX"));
      assertThat(md(client, ns).getStatus().getServingVersion()).isEqualTo(registered.version());
      assertThat(probabilities(url, model, registered.rows())).hasSize(expected.length * 3);
      System.out.println(
          "kubectl get mdep -n "
              + ns
              + " (alias on a sklearn version)\n"
              + kubectl(kubeconfig, ns));
    } finally {
      client.namespaces().withName(ns).delete();
      client.close();
    }
  }

  private static ModelDeployment md(KubernetesClient client, String ns) {
    return client.resources(ModelDeployment.class).inNamespace(ns).withName("iris").get();
  }

  private static String condition(KubernetesClient client, String ns, String type) {
    return Conditions.find(md(client, ns).getStatus().getConditions(), type)
        .map(c -> c.getStatus())
        .orElse("");
  }

  private static JsonNode probabilities(URI server, String model, double[][] rows)
      throws Exception {
    var data = new ArrayList<Double>();
    for (double[] row : rows) {
      for (double x : row) {
        data.add(x);
      }
    }
    var body =
        JSON.writeValueAsString(
            Map.of(
                "inputs",
                List.of(
                    Map.of(
                        "name",
                        "float_input",
                        "datatype",
                        "FP32",
                        "shape",
                        List.of(rows.length, 4),
                        "data",
                        data))));
    var response =
        HTTP.send(
            HttpRequest.newBuilder(server.resolve("/v2/models/" + model + "/infer"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    for (var output : JSON.readTree(response.body()).path("outputs")) {
      if (output.path("name").asText().equals("probabilities")) {
        return output.path("data");
      }
    }
    throw new AssertionError("no probabilities in " + response.body());
  }

  private static String kubectl(Path kubeconfig, String ns) throws Exception {
    var process =
        new ProcessBuilder(
                Tools.kubectl().toString(), "--kubeconfig=" + kubeconfig, "get", "mdep", "-n", ns)
            .redirectErrorStream(true)
            .start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
