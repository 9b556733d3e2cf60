package dev.almanac.trainer.pipeline;

import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.registry.RegistryUnavailableException;
import dev.almanac.registry.S3ArtifactStore;
import dev.almanac.registry.S3Settings;
import dev.almanac.trainer.tracking.ConnectionEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * A run's raw input, kept as it arrived: the downloaded file is stored once under its SHA-256 at
 * {@code s3://<artifacts bucket>/<prefix>/snapshots/<sha256><ext>}, so any version can be retrained
 * or re-scored on exactly the data it saw (point {@code spec.data.source.s3} at the snapshot). The
 * key is the content's digest, so an object that already exists holds the same bytes and is not
 * written again.
 *
 * @param uri where the snapshot is
 * @param sha256 digest of the raw bytes (as {@code dataSha256} in result.json and the version's
 *     tag)
 * @param written false when an earlier run had already kept the same bytes
 */
public record DataSnapshot(String uri, String sha256, boolean written) {
  public static final String FOLDER = "snapshots";

  /**
   * Keeps {@code file} in the pipeline's artifact store; empty when {@code spec.artifacts.s3} is
   * not set (nowhere to keep it). Transient S3 failures are retried as downloads are.
   */
  public static Optional<DataSnapshot> keep(
      ForecastPipeline fp,
      Map<String, String> env,
      Path file,
      DownloadRetry retry,
      Consumer<String> notice) {
    var artifacts =
        fp.getSpec().getArtifacts() == null ? null : fp.getSpec().getArtifacts().getS3();
    if (artifacts == null) {
      return Optional.empty();
    }
    var sha256 = sha256(file);
    var uri =
        dev.almanac.trainer.tracking.ArtifactsFolder.uri(
            artifacts, FOLDER, sha256 + extension(file.getFileName().toString()));
    S3Settings settings;
    try {
      settings = S3Settings.fromEnv(ConnectionEnvironment.merged(fp, env));
    } catch (IllegalArgumentException e) {
      throw new RunFailure(ExitCode.BAD_SPEC, "spec.artifacts.s3: " + e.getMessage(), e);
    }
    try (var store = S3ArtifactStore.singleAttempt(settings)) {
      return Optional.of(
          retry.get(
              "cannot keep the data snapshot " + uri,
              notice,
              () -> {
                try {
                  if (store.exists(uri)) {
                    return new DataSnapshot(uri, sha256, false);
                  }
                  store.upload(file, uri);
                  return new DataSnapshot(uri, sha256, true);
                } catch (RegistryUnavailableException e) {
                  throw new DownloadRetry.Transient(e.getMessage(), e);
                }
              }));
    }
  }

  /**
   * ".csv.gz", ".csv", ...: the snapshot keeps the source's format visible; none given means CSV.
   */
  static String extension(String name) {
    var lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".gz")) {
      return extension(name.substring(0, name.length() - 3)) + ".gz";
    }
    int dot = name.lastIndexOf('.');
    return dot <= 0 || dot == name.length() - 1
        ? ".csv"
        : name.substring(dot).toLowerCase(Locale.ROOT);
  }

  /** Hex SHA-256 of a file's bytes: the snapshot key and the run's dataSha256. */
  public static String sha256(Path file) {
    try (var in = Files.newInputStream(file)) {
      return DigestUtils.sha256Hex(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
