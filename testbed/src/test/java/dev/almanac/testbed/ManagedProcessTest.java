package dev.almanac.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagedProcessTest {

  @Test
  void processThatDiesBeforeReadinessFailsWithItsLog(@TempDir Path tmp) {
    var readiness = URI.create("http://127.0.0.1:" + ManagedProcess.freePort() + "/health");
    assertThatThrownBy(
            () ->
                ManagedProcess.start(
                    "doomed",
                    List.of("sh", "-c", "echo boom: port taken; exit 3"),
                    Map.of(),
                    tmp.resolve("doomed.log"),
                    readiness,
                    Duration.ofSeconds(30)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("doomed exited with code 3")
        .hasMessageContaining("boom: port taken");
  }

  @Test
  void processThatNeverAnswersTimesOutAndIsStopped(@TempDir Path tmp) {
    var readiness = URI.create("http://127.0.0.1:" + ManagedProcess.freePort() + "/health");
    assertThatThrownBy(
            () ->
                ManagedProcess.start(
                    "silent",
                    List.of("sh", "-c", "echo waiting; exec sleep 60"),
                    Map.of(),
                    tmp.resolve("silent.log"),
                    readiness,
                    Duration.ofMillis(800)))
        .hasMessageContaining("silent not ready at " + readiness)
        .hasMessageContaining("waiting");
  }

  @Test
  void missingExecutableNamesTheSetupCommand(@TempDir Path tmp) {
    assertThatThrownBy(
            () ->
                ManagedProcess.start(
                    "ghost",
                    List.of(tmp.resolve("no-such-binary").toString()),
                    Map.of(),
                    tmp.resolve("ghost.log"),
                    URI.create("http://127.0.0.1:1/"),
                    Duration.ofSeconds(1)))
        .hasMessageContaining("cannot start ghost")
        .hasMessageContaining(Tools.SETUP_COMMAND);
  }

  @Test
  @Tag("integration")
  void s3ServerServesABucketAndStopsOnClose() {
    var s3 = S3Server.start();
    try {
      s3.createBucket("probe");
      s3.createBucket("probe");
      assertThat(s3.isRunning()).isTrue();
      assertThat(s3.clientEnv()).containsEntry("MLFLOW_S3_ENDPOINT_URL", s3.endpoint().toString());
    } finally {
      s3.close();
    }
    assertThat(s3.isRunning()).isFalse();
  }
}
