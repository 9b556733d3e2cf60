package dev.almanac.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.almanac.testbed.MlflowTestBed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

@Tag("integration")
@ExtendWith(MlflowTestBed.class)
class ArtifactTransferIntegrationTest {
  private static final int PART = S3ArtifactStore.MIN_PART_SIZE;
  private static S3ArtifactStore s3;
  private static ArtifactTransfer transfer;

  @BeforeAll
  static void connect(MlflowTestBed.Endpoints bed) {
    // a low multipart threshold so a 11 MiB file goes up in three parts
    s3 = new S3ArtifactStore(S3Settings.fromEnv(bed.env()), PART, PART);
    transfer =
        new ArtifactTransfer(
            List.of(
                s3, new ProxiedArtifactStore(new MlflowHttp(MlflowSettings.fromEnv(bed.env())))));
  }

  @AfterAll
  static void close() {
    transfer.close();
  }

  @Test
  void s3DirectoryRoundTripWithMultipartAndManifest(MlflowTestBed.Endpoints bed, @TempDir Path tmp)
      throws Exception {
    var model = ModelFiles.modelDir(tmp, 2 * PART + 1024 * 1024);
    var uri = "s3://" + bed.bucket() + "/it/" + UUID.randomUUID() + "/model";

    var uploaded = transfer.uploadDirectory(model, uri);
    var target = tmp.resolve("downloaded");
    var downloaded = transfer.downloadDirectory(uri, target);

    assertThat(uploaded.files())
        .extracting(ArtifactManifest.Entry::path)
        .containsExactly("MLmodel", "almanac/bundle.json", "model.onnx");
    assertThat(downloaded).isEqualTo(uploaded);
    assertThat(ModelFiles.contents(target)).isEqualTo(ModelFiles.contents(model));
    assertThat(s3.exists(uri + "/" + ArtifactTransfer.MANIFEST)).isTrue();
    // a multipart object's ETag ends in -<parts>
    var key = uri.substring(("s3://" + bed.bucket() + "/").length()) + "/model.onnx";
    assertThat(s3.client().headObject(b -> b.bucket(bed.bucket()).key(key)).eTag())
        .endsWith("-3\"");
  }

  @Test
  void aFilteredDownloadFetchesOnlyTheWantedFiles(MlflowTestBed.Endpoints bed, @TempDir Path tmp)
      throws Exception {
    var model = ModelFiles.modelDir(tmp, 1024);
    var uri = "s3://" + bed.bucket() + "/it/" + UUID.randomUUID() + "/model";
    transfer.uploadDirectory(model, uri);
    var target = tmp.resolve("served");

    var downloaded = transfer.downloadDirectory(uri, target, path -> !path.startsWith("almanac/"));

    assertThat(downloaded.files())
        .extracting(ArtifactManifest.Entry::path)
        .containsExactly("MLmodel", "model.onnx");
    assertThat(ModelFiles.contents(target)).containsOnlyKeys("MLmodel", "model.onnx");
    assertThat(target.resolve("almanac")).doesNotExist();
  }

  @Test
  void corruptedObjectFailsVerificationAndLeavesNothing(
      MlflowTestBed.Endpoints bed, @TempDir Path tmp) throws Exception {
    var model = ModelFiles.modelDir(tmp, 4096);
    var key = "it/" + UUID.randomUUID() + "/model";
    var uri = "s3://" + bed.bucket() + "/" + key;
    transfer.uploadDirectory(model, uri);
    // same size, different bytes: only the checksum can tell
    var original = Files.readString(model.resolve("MLmodel"));
    s3.client()
        .putObject(
            b -> b.bucket(bed.bucket()).key(key + "/MLmodel"),
            RequestBody.fromString(original.replace("onnx_version", "onnx_versioN")));

    var target = tmp.resolve("downloaded");
    assertThatThrownBy(() -> transfer.downloadDirectory(uri, target))
        .isInstanceOf(ArtifactIntegrityException.class)
        .hasMessageContaining(uri + "/MLmodel")
        .hasMessageContaining("SHA-256");
    assertThat(target).doesNotExist();
    try (var siblings = Files.list(tmp)) {
      assertThat(siblings.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith("downloaded"));
    }
  }

  @Test
  void directoryWithoutManifestIsAPartialUpload(MlflowTestBed.Endpoints bed, @TempDir Path tmp)
      throws Exception {
    var model = ModelFiles.modelDir(tmp, 100);
    var uri = "s3://" + bed.bucket() + "/it/" + UUID.randomUUID() + "/model";
    transfer.uploadFile(model.resolve("MLmodel"), uri + "/MLmodel");

    assertThatThrownBy(() -> transfer.downloadDirectory(uri, tmp.resolve("downloaded")))
        .isInstanceOf(ArtifactIntegrityException.class)
        .hasMessageContaining("no " + ArtifactTransfer.MANIFEST + " at " + uri);
  }

  @Test
  void proxiedDirectoryRoundTripLandsInTheServersBucket(
      MlflowTestBed.Endpoints bed, @TempDir Path tmp) throws Exception {
    var model = ModelFiles.modelDir(tmp, 64 * 1024);
    var path = "it/" + UUID.randomUUID() + "/model";
    var uri = bed.proxiedArtifactRoot() + path;

    transfer.uploadDirectory(model, uri);
    var target = tmp.resolve("downloaded");
    transfer.downloadDirectory(uri, target);

    assertThat(ModelFiles.contents(target)).isEqualTo(ModelFiles.contents(model));
    assertThat(s3.exists("s3://" + bed.bucket() + "/mlflow-artifacts/" + path + "/model.onnx"))
        .isTrue();
  }

  @Test
  void downloadRefusesANonEmptyTarget(MlflowTestBed.Endpoints bed, @TempDir Path tmp)
      throws Exception {
    var model = ModelFiles.modelDir(tmp, 10);
    var uri = "s3://" + bed.bucket() + "/it/" + UUID.randomUUID() + "/model";
    transfer.uploadDirectory(model, uri);
    assertThatThrownBy(() -> transfer.downloadDirectory(uri, tmp))
        .hasMessageContaining("is not empty");
  }

  @Test
  void missingBucketIsNotFound(@TempDir Path tmp) throws Exception {
    var file = Files.writeString(tmp.resolve("f"), "x");
    assertThatThrownBy(
            () -> transfer.uploadFile(file, "s3://no-such-bucket-" + UUID.randomUUID() + "/k"))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("NoSuchBucket");
  }
}
