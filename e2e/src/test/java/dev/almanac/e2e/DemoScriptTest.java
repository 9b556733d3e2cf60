package dev.almanac.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.testbed.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-environment paths of `make demo` / `make demo-down` (scripts/demo.sh) that need no stack.
 */
class DemoScriptTest {
  @TempDir Path state;

  record Result(int code, String text) {}

  Result demo(String verb) throws Exception {
    var builder =
        new ProcessBuilder("bash", Tools.projectDir().resolve("scripts/demo.sh").toString(), verb)
            .redirectErrorStream(true);
    builder.environment().put("ALMANAC_DEMO_DIR", state.toString());
    var process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("demo.sh %s must not hang", verb).isTrue();
    return new Result(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void downWhenNothingRunsSaysSo() throws Exception {
    var result = demo("down");
    assertThat(result.code()).isZero();
    assertThat(result.text()).contains("demo: not running");
  }

  @Test
  void aRunningDemoIsNotStartedTwiceAndDownStopsIt() throws Exception {
    var running = new ProcessBuilder("sleep", "120").start();
    try {
      Files.writeString(state.resolve("pid"), Long.toString(running.pid()));
      var up = demo("up");
      assertThat(up.code()).isNotZero();
      assertThat(up.text())
          .contains("a demo is already running (pid " + running.pid() + ")")
          .contains("make demo-down");
      assertThat(running.isAlive()).isTrue();

      var down = demo("down");
      assertThat(down.code()).isZero();
      assertThat(down.text()).contains("demo: stopped");
      assertThat(running.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(state.resolve("pid")).doesNotExist();
    } finally {
      running.destroyForcibly();
    }
  }

  @Test
  void anUnknownVerbPrintsUsage() throws Exception {
    var result = demo("restart");
    assertThat(result.code()).isNotZero();
    assertThat(result.text()).contains("usage:").contains("up|down");
  }
}
