package dev.almanac.trainer.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.almanac.api.v1alpha1.pipeline.ModelType;
import dev.almanac.testbed.Tools;
import dev.almanac.trainer.onnx.OnnxEnsemble;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported graphs as the Python world sees them (the MLflow onnx flavor, the anchor's serving
 * stack): onnx.checker (full check) accepts every model and Python onnxruntime returns the native
 * predictions.
 */
@Tag("integration")
class PythonOnnxRuntimeTest {
  private static final int F = 5;

  @Test
  void pythonCheckerAcceptsAndPythonRuntimeReproducesEveryModel(@TempDir Path dir)
      throws Exception {
    SyntheticData.Regression reg = SyntheticData.nonlinear(360, F, 31);
    double[][] train = SyntheticData.head(reg.x(), 300);
    double[] yTrain = Arrays.copyOf(reg.y(), 300);
    double[][] held = SyntheticData.tail(reg.x(), 300);
    FitOptions o = new FitOptions(42, 1, Map.of());

    Map<String, double[]> expectedRegression = new LinkedHashMap<>();
    List<OnnxMl.ModelProto> members = new ArrayList<>();
    double[] weights = {0.3, 0.2, 0.2, 0.1, 0.1, 0.1}; // one per ModelCatalog.REGRESSION_TYPES
    double[] ensemble = new double[held.length];
    for (int k = 0; k < ModelCatalog.REGRESSION_TYPES.size(); k++) {
      ModelType type = ModelCatalog.REGRESSION_TYPES.get(k);
      TrainedRegressor m = ModelCatalog.regressor(type, Map.of()).fit(train, yTrain, o);
      OnnxMl.ModelProto g = m.toOnnx(F);
      members.add(g);
      Files.write(dir.resolve("reg_" + type + ".onnx"), g.toByteArray());
      double[] p = m.predict(held);
      expectedRegression.put("reg_" + type, p);
      for (int i = 0; i < p.length; i++) {
        ensemble[i] += weights[k] * p[i];
      }
    }
    Files.write(
        dir.resolve("reg_Ensemble.onnx"), OnnxEnsemble.weightedSum(members, weights).toByteArray());
    expectedRegression.put("reg_Ensemble", ensemble);

    SyntheticData.Classification cls = SyntheticData.blobs(360, F, 3, 8);
    Map<String, double[][]> expectedProba = new LinkedHashMap<>();
    for (ModelType type : ModelCatalog.CLASSIFICATION_TYPES) {
      TrainedClassifier m =
          ModelCatalog.classifier(type, Map.of())
              .fit(SyntheticData.head(cls.x(), 300), Arrays.copyOf(cls.y(), 300), 3, o);
      Files.write(dir.resolve("cls_" + type + ".onnx"), m.toOnnx(F, 3).toByteArray());
      expectedProba.put("cls_" + type, m.predictProba(held));
    }
    Files.writeString(
        dir.resolve("rows.csv"),
        Arrays.stream(held)
            .map(r -> Arrays.stream(r).mapToObj(Double::toString).collect(Collectors.joining(",")))
            .collect(Collectors.joining("\n")));

    JsonNode out = runPython(dir);

    for (var e : expectedRegression.entrySet()) {
      JsonNode model = out.path(e.getKey());
      assertThat(model.path("checker").asText()).as(e.getKey()).isEqualTo("ok");
      JsonNode pred = model.path("outputs").path("prediction");
      double worst = 0;
      for (int i = 0; i < held.length; i++) {
        double v = pred.get(i).get(0).asDouble();
        worst =
            Math.max(worst, Math.abs(v - e.getValue()[i]) / Math.max(1, Math.abs(e.getValue()[i])));
      }
      System.out.printf("python-ort %-22s max rel err %.3g%n", e.getKey(), worst);
      assertThat(worst).as(e.getKey()).isLessThan(1e-4);
    }
    for (var e : expectedProba.entrySet()) {
      JsonNode model = out.path(e.getKey());
      assertThat(model.path("checker").asText()).as(e.getKey()).isEqualTo("ok");
      JsonNode proba = model.path("outputs").path("probabilities");
      JsonNode labels = model.path("outputs").path("label");
      double worst = 0;
      for (int i = 0; i < held.length; i++) {
        double[] p = e.getValue()[i];
        int argmax = 0;
        for (int c = 0; c < 3; c++) {
          worst = Math.max(worst, Math.abs(proba.get(i).get(c).asDouble() - p[c]));
          argmax = p[c] > p[argmax] ? c : argmax;
        }
        assertThat(labels.get(i).asInt()).as(e.getKey() + " label of row " + i).isEqualTo(argmax);
      }
      System.out.printf("python-ort %-22s max abs prob err %.3g%n", e.getKey(), worst);
      assertThat(worst).as(e.getKey()).isLessThan(1e-4);
    }
  }

  private static JsonNode runPython(Path dir) throws Exception {
    Path script = dir.resolve("run_onnx.py");
    try (InputStream in =
        PythonOnnxRuntimeTest.class.getResourceAsStream("/dev/almanac/trainer/onnx/run_onnx.py")) {
      Files.copy(in, script);
    }
    Process p =
        new ProcessBuilder(Tools.venvBin("python").toString(), script.toString(), dir.toString())
            .redirectError(dir.resolve("stderr.txt").toFile())
            .start();
    byte[] stdout = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue())
        .as("python failed: " + Files.readString(dir.resolve("stderr.txt")))
        .isZero();
    return new ObjectMapper().readTree(new String(stdout, StandardCharsets.UTF_8));
  }
}
