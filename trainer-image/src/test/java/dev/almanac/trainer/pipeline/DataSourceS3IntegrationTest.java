package dev.almanac.trainer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.registry.S3ArtifactStore;
import dev.almanac.registry.S3Settings;
import dev.almanac.testbed.S3TestBed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.data.source.s3 on a real S3-compatible server: endpoint from spec.artifacts.s3, keys from
 * the environment.
 */
@Tag("integration")
@ExtendWith(S3TestBed.class)
class DataSourceS3IntegrationTest {
  @TempDir Path tmp;

  private ForecastPipeline pipeline(S3TestBed.Endpoints s3, String key) throws Exception {
    Path spec = tmp.resolve("p.yaml");
    Files.writeString(
        spec,
        """
        apiVersion: almanac.dev/v1alpha1
        kind: ForecastPipeline
        metadata: {name: from-s3}
        spec:
          task: forecast
          data:
            source: {s3: {bucket: %s, key: %s}}
            series: [USA]
            target: new_cases
          artifacts:
            s3: {bucket: %s, endpoint: "%s", region: %s, pathStyle: true}
        """
            .formatted(s3.bucket(), key, s3.bucket(), s3.endpoint(), s3.region()));
    return SpecLoader.load(spec);
  }

  /** Only the keys: endpoint, region and path style must come from the pipeline spec. */
  private static Map<String, String> keys(S3TestBed.Endpoints s3) {
    return Map.of("AWS_ACCESS_KEY_ID", s3.accessKey(), "AWS_SECRET_ACCESS_KEY", s3.secretKey());
  }

  @Test
  void anS3SourceIsCopiedToALocalFileWithItsName(S3TestBed.Endpoints s3) throws Exception {
    try (var store = new S3ArtifactStore(S3Settings.fromEnv(s3.env()))) {
      store.upload(Paths.owidSlim(), "s3://" + s3.bucket() + "/datasets/owid.csv.gz");
    }
    Path staged =
        DataSourceStaging.stage(
            pipeline(s3, "datasets/owid.csv.gz"), keys(s3), tmp.resolve("data"));
    assertThat(staged.getFileName()).hasToString("owid.csv.gz");
    assertThat(Files.mismatch(staged, Paths.owidSlim())).isEqualTo(-1L);
  }

  @Test
  void aMissingObjectIsADataErrorNamingIt(S3TestBed.Endpoints s3) throws Exception {
    ForecastPipeline fp = pipeline(s3, "datasets/missing.csv");
    assertThatThrownBy(() -> DataSourceStaging.stage(fp, keys(s3), tmp.resolve("data")))
        .isInstanceOfSatisfying(
            RunFailure.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.DATA_ERROR))
        .hasMessageContaining("s3://" + s3.bucket() + "/datasets/missing.csv");
  }

  @Test
  void aSnapshotIsKeptUnderItsDigestOnceForTheSameBytes(S3TestBed.Endpoints s3) throws Exception {
    Path spec = tmp.resolve("snap.yaml");
    Files.writeString(
        spec,
        """
        apiVersion: almanac.dev/v1alpha1
        kind: ForecastPipeline
        metadata: {name: snap}
        spec:
          task: forecast
          data:
            source: {url: "https://example.org/owid.csv.gz"}
            target: new_cases
          artifacts:
            s3: {bucket: %s, prefix: /team-a/almanac/, endpoint: "%s", region: %s, pathStyle: true}
        """
            .formatted(s3.bucket(), s3.endpoint(), s3.region()));
    ForecastPipeline fp = SpecLoader.load(spec);
    String sha = DataSnapshot.sha256(Paths.owidSlim());

    var first =
        DataSnapshot.keep(fp, keys(s3), Paths.owidSlim(), DownloadRetry.DEFAULT, n -> {})
            .orElseThrow();
    var second =
        DataSnapshot.keep(fp, keys(s3), Paths.owidSlim(), DownloadRetry.DEFAULT, n -> {})
            .orElseThrow();

    assertThat(first.uri())
        .isEqualTo("s3://" + s3.bucket() + "/team-a/almanac/snapshots/" + sha + ".csv.gz");
    assertThat(first.sha256()).isEqualTo(sha);
    assertThat(first.written()).isTrue();
    assertThat(second).isEqualTo(new DataSnapshot(first.uri(), sha, false));
    try (var store = new S3ArtifactStore(S3Settings.fromEnv(s3.env()))) {
      store.download(first.uri(), tmp.resolve("back.csv.gz"));
    }
    assertThat(Files.mismatch(tmp.resolve("back.csv.gz"), Paths.owidSlim())).isEqualTo(-1L);
  }

  @Test
  void noArtifactStoreMeansNoSnapshot(S3TestBed.Endpoints s3) throws Exception {
    Path spec = tmp.resolve("nostore.yaml");
    Files.writeString(
        spec,
        """
        apiVersion: almanac.dev/v1alpha1
        kind: ForecastPipeline
        metadata: {name: snap}
        spec:
          task: forecast
          data: {source: {url: "https://example.org/owid.csv.gz"}, target: new_cases}
        """);
    assertThat(
            DataSnapshot.keep(
                SpecLoader.load(spec), keys(s3), Paths.owidSlim(), DownloadRetry.DEFAULT, n -> {}))
        .isEmpty();
  }
}
