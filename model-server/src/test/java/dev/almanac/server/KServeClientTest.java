package dev.almanac.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.almanac.ml.bundle.ModelBundle;
import dev.almanac.testbed.Tools;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NVIDIA's Python {@code tritonclient.http} talks KServe V2 to the server; its numbers equal
 * ml-core's in-process ones.
 */
@Tag("integration")
class KServeClientTest {
  @TempDir Path tmp;

  @Test
  void tritonClientGetsTheSameProbabilitiesAsInProcessInference() throws Exception {
    Path bundle = TestBundles.classifier(tmp.resolve("d"), "disease", "4");
    Path script = tmp.resolve("kserve_client.py");
    Files.write(
        script, TestBundles.class.getResourceAsStream("/python/kserve_client.py").readAllBytes());
    try (ServerHarness h = ServerHarness.ready(ServerHarness.config(List.of(bundle.toString())))) {
      Path out = tmp.resolve("client.out");
      Path err = tmp.resolve("client.err");
      Process p =
          new ProcessBuilder(
                  Tools.venvBin("python").toString(),
                  script.toString(),
                  "127.0.0.1:" + h.port,
                  "disease",
                  "132")
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(Files.readString(err)).isZero();
      JsonObject r = new JsonObject(Files.readString(out, StandardCharsets.UTF_8).strip());
      assertThat(r.getBoolean("live")).isTrue();
      assertThat(r.getBoolean("ready")).isTrue();
      assertThat(r.getBoolean("model_ready")).isTrue();
      assertThat(r.getJsonObject("metadata").getString("name")).isEqualTo("disease");
      assertThat(r.getJsonObject("response").getString("model_version")).isEqualTo("4");
      assertThat(r.getJsonObject("response").getString("id")).isEqualTo("tc-1");
      assertThat(r.getString("bad_shape_error")).contains("does not match the model input shape");
      JsonArray probs = r.getJsonArray("probabilities");
      assertThat(probs).hasSize(3);
      try (ModelBundle b = ModelBundle.load(bundle)) {
        float[][] rows = new float[3][132];
        rows[0][0] = 1;
        rows[0][1] = 1;
        rows[1][2] = 1;
        rows[2][5] = 1;
        var expected = b.onnx().run(rows).get("probabilities").data();
        for (int i = 0; i < 3; i++) {
          JsonArray row = probs.getJsonArray(i);
          assertThat(row).hasSize(41);
          int argmax = 0;
          for (int k = 0; k < 41; k++) {
            assertThat(row.getDouble(k)).isCloseTo(expected[i * 41 + k], within(1e-6));
            argmax = row.getDouble(k) > row.getDouble(argmax) ? k : argmax;
          }
          assertThat(r.getJsonArray("label").getLong(i)).isEqualTo(argmax);
        }
        // tritonclient's defaults (binary tensor data extension both ways): bit-for-bit the same
        // floats
        assertThat(r.getJsonArray("binary_probabilities")).isEqualTo(probs);
        assertThat(r.getJsonArray("binary_label")).isEqualTo(r.getJsonArray("label"));
      }
    }
  }
}
