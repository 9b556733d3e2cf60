package dev.almanac.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.almanac.testbed.MlflowTestBed;
import dev.almanac.testbed.S3Server;
import dev.almanac.testbed.S3TestBed;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Unreachable MLflow or S3: typed errors, and never a registered version without its files. */
@Tag("integration")
@ExtendWith(MlflowTestBed.class)
class FailureIntegrationTest {
  private static MlflowConnection mlflow;

  @BeforeAll
  static void connect(MlflowTestBed.Endpoints bed) {
    mlflow = MlflowConnection.fromEnv(bed.env());
  }

  @AfterAll
  static void close() {
    mlflow.close();
  }

  private static int closedPort() throws IOException {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void mlflowDownIsUnavailableBeforeAnyUpload(MlflowTestBed.Endpoints bed, @TempDir Path tmp)
      throws Exception {
    var down = URI.create("http://127.0.0.1:" + closedPort());
    var settings =
        MlflowSettings.of(down)
            .withRetries(2, Duration.ofMillis(20))
            .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2));
    try (var offline = new MlflowConnection(settings, S3Settings.fromEnv(bed.env()))) {
      var publisher =
          new ModelPublisher(offline.tracking(), offline.registry(), offline.artifacts());
      assertThatThrownBy(
              () ->
                  publisher.publish(
                      "0123456789abcdef0123456789abcdef",
                      ModelFiles.modelDir(tmp, 10),
                      "down-" + UUID.randomUUID(),
                      Map.of()))
          .isInstanceOfSatisfying(
              RegistryUnavailableException.class, e -> assertThat(e.status()).isZero())
          .hasMessageContaining(down.toString())
          .hasMessageContaining("runs/get");
      assertThatThrownBy(() -> offline.registry().resolve(ModelUri.parse("models:/m@production")))
          .isInstanceOf(RegistryUnavailableException.class)
          .hasMessageContaining("registered-models/alias");
      assertThatThrownBy(() -> offline.tracking().startRun("0", "r", Map.of()))
          .isInstanceOf(RegistryUnavailableException.class)
          .hasMessageContaining("runs/create");
    }
  }

  @Test
  void s3DownMidUploadRegistersNoVersion(@TempDir Path tmp) throws Exception {
    var model = "s3down-" + UUID.randomUUID();
    var run =
        mlflow
            .tracking()
            .startRun(mlflow.tracking().getOrCreateExperiment("failures").id(), null, Map.of());
    var dir = ModelFiles.modelDir(tmp, 1024);
    var stored = new ArrayList<String>();
    // a second S3 server we own, stopped between two files of the upload
    try (var doomed = S3Server.start()) {
      doomed.createBucket(S3TestBed.BUCKET);
      var s3 =
          S3Settings.of(doomed.endpoint(), doomed.region(), doomed.accessKey(), doomed.secretKey())
              .withTimeout(Duration.ofSeconds(5));
      try (var transfer = new ArtifactTransfer(List.of(new S3ArtifactStore(s3)))) {
        var publisher =
            new ModelPublisher(mlflow.tracking(), mlflow.registry(), transfer)
                .withProgress(
                    entry -> {
                      stored.add(entry.path());
                      doomed.close();
                    });
        assertThatThrownBy(() -> publisher.publish(run.runId(), dir, model, Map.of()))
            .isInstanceOf(RegistryUnavailableException.class)
            .hasMessageContaining("S3 at " + doomed.endpoint())
            .hasMessageContaining("unreachable");
      }
    }
    assertThat(stored).containsExactly("MLmodel");
    assertThat(mlflow.registry().findVersion(model, "1")).isEmpty();
    assertThatThrownBy(() -> mlflow.registry().versions(model))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void wrongS3EndpointFailsBeforeRegistration(@TempDir Path tmp) throws Exception {
    var model = "s3wrong-" + UUID.randomUUID();
    var run =
        mlflow
            .tracking()
            .startRun(mlflow.tracking().getOrCreateExperiment("failures").id(), null, Map.of());
    var s3 = S3Settings.of(URI.create("http://127.0.0.1:" + closedPort()), "us-east-1", "ak", "sk");
    try (var transfer = new ArtifactTransfer(List.of(new S3ArtifactStore(s3)))) {
      var publisher = new ModelPublisher(mlflow.tracking(), mlflow.registry(), transfer);
      assertThatThrownBy(
              () -> publisher.publish(run.runId(), ModelFiles.modelDir(tmp, 10), model, Map.of()))
          .isInstanceOf(RegistryUnavailableException.class)
          .hasMessageContaining("unreachable");
    }
    assertThat(mlflow.registry().findVersion(model, "1")).isEmpty();
  }
}
