package dev.almanac.trainer.pipeline;

import dev.almanac.api.v1alpha1.pipeline.DataSource;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.registry.RegistryException;
import dev.almanac.registry.S3ArtifactStore;
import dev.almanac.registry.S3Settings;
import dev.almanac.trainer.tracking.ConnectionEnvironment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Copies a {@code url} or {@code s3} data source to a local file before the run reads it, so loading,
 * error positions (file:line:column) and the input digest work the same for every source. A
 * {@code path} needs no copy and a {@code configMapRef} is mounted by the operator and passed with
 * {@code --data}: for those {@link #stage} returns null. A relative {@code data.testPath} (the
 * classification test split) is copied from beside the remote training data too.
 */
public final class DataSourceStaging {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
  static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(10);

  private DataSourceStaging() {}

  /** True for the sources {@link #stage} copies (url, s3). */
  public static boolean isRemote(ForecastPipeline fp) {
    DataSource src = fp.getSpec().getData() == null ? null : fp.getSpec().getData().getSource();
    return src != null && (src.getUrl() != null || src.getS3() != null);
  }

  /**
   * @param env the process environment (S3 credentials; endpoint, region and path style come from
   *     {@code spec.artifacts.s3} when set there, as for the model artifacts)
   * @return the local copy, or null when the source is already a local file
   * @throws RunFailure with {@link ExitCode#DATA_ERROR} naming the source when it cannot be fetched
   */
  public static Path stage(ForecastPipeline fp, Map<String, String> env, Path dir) {
    DataSource src = fp.getSpec().getData() == null ? null : fp.getSpec().getData().getSource();
    if (src == null) {
      return null;
    }
    String testPath = relativeTestPath(fp);
    if (src.getUrl() != null) {
      URI url = URI.create(src.getUrl());
      if (testPath != null) {
        // the test split sits next to the training data; ForecastSettings finds its copy beside this one
        fromUrl(url.resolve(testPath), dir);
      }
      return fromUrl(url, dir);
    }
    if (src.getS3() != null) {
      String uri = "s3://" + src.getS3().getBucket() + "/" + src.getS3().getKey();
      S3Settings settings;
      try {
        settings = S3Settings.fromEnv(ConnectionEnvironment.merged(fp, env));
      } catch (IllegalArgumentException e) {
        throw new RunFailure(ExitCode.BAD_SPEC, "spec.data.source.s3: " + e.getMessage(), e);
      }
      try (S3ArtifactStore store = new S3ArtifactStore(settings)) {
        Path target = target(dir, src.getS3().getKey());
        store.download(uri, target);
        if (testPath != null) {
          String key = src.getS3().getKey();
          String testUri = "s3://" + src.getS3().getBucket() + "/" + key.substring(0, key.lastIndexOf('/') + 1) + testPath;
          store.download(testUri, target(dir, testPath));
        }
        return target;
      } catch (RegistryException e) {
        throw new RunFailure(ExitCode.DATA_ERROR, "cannot read spec.data.source.s3 " + uri + ": " + e.getMessage(), e);
      }
    }
    return null;
  }

  /** A classification test split given relative to the training data, or null. */
  static String relativeTestPath(ForecastPipeline fp) {
    String test = fp.getSpec().getData().getTestPath();
    if (test == null || test.isBlank() || test.startsWith("/") || test.contains("://")) {
      return null;
    }
    return test.substring(test.lastIndexOf('/') + 1);
  }

  static Path fromUrl(URI url, Path dir) {
    // the query may carry a presigned token and the user part a password: never print them
    String shown = url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + url.getRawPath();
    HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
    Path target = target(dir, url.getPath());
    try {
      HttpResponse<Path> r = http.send(HttpRequest.newBuilder(url).timeout(DOWNLOAD_TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofFile(target));
      if (r.statusCode() != 200) {
        Files.deleteIfExists(target);
        throw new RunFailure(ExitCode.DATA_ERROR, "cannot download spec.data.source.url " + shown + ": HTTP " + r.statusCode());
      }
      return target;
    } catch (IOException e) {
      throw new RunFailure(ExitCode.DATA_ERROR, "cannot download spec.data.source.url " + shown + ": "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunFailure(ExitCode.INTERNAL, "interrupted while downloading spec.data.source.url " + shown, e);
    }
  }

  /** Keeps the source's file name so messages (file:line:column) point at something the user recognises. */
  private static Path target(Path dir, String sourcePath) {
    String name = sourcePath == null ? "" : sourcePath.substring(sourcePath.lastIndexOf('/') + 1);
    if (name.isBlank() || name.startsWith(".")) {
      name = "data.csv";
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new RunFailure(ExitCode.INTERNAL, "cannot create " + dir + ": " + e.getMessage(), e);
    }
    return dir.resolve(name);
  }
}
