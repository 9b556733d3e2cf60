package dev.almanac.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandRunTest {
  @Test
  void keepsBothStreamsAndTheExitCode() throws Exception {
    var run =
        CommandRun.of(
            List.of("bash", "-c", "echo one; echo two >&2; echo three; exit 3"),
            Timeouts.seconds(30));
    assertThat(run.timedOut()).isFalse();
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.output()).contains("one", "two", "three");
    assertThat(run.tail(1)).isEqualTo("three");
  }

  @Test
  void endsACommandStillRunningAtTheTimeout() throws Exception {
    var run = CommandRun.of(List.of("bash", "-c", "sleep 60"), Duration.ofMillis(500));
    assertThat(run.timedOut()).isTrue();
    assertThat(run.exitCode()).isEqualTo(-1);
  }
}
