package dev.almanac.trainer.pipeline;

import dev.almanac.api.v1alpha1.pipeline.DataSource;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.registry.RegistryException;
import dev.almanac.registry.RegistryUnavailableException;
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
import java.util.function.Consumer;

/**
 * Copies a {@code url} or {@code s3} data source to a local file before the run reads it, so
 * loading, error positions (file:line:column) and the input digest work the same for every source.
 * A {@code path} needs no copy and a {@code configMapRef} is mounted by the operator and passed
 * with {@code --data}: for those {@link #stage} returns null. Transient failures (connection
 * errors, HTTP 5xx and 429) are tried again with backoff ({@link DownloadRetry}); 404 and 403 fail
 * at once. A relative {@code data.testPath} (the classification test split) is copied from beside
 * the remote training data too.
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
   * {@link #stage(ForecastPipeline, Map, Path, DownloadRetry, Consumer)} with {@link
   * DownloadRetry#DEFAULT}, notices dropped.
   */
  public static Path stage(ForecastPipeline fp, Map<String, String> env, Path dir) {
    return stage(fp, env, dir, DownloadRetry.DEFAULT, notice -> {});
  }

  /**
   * @param env the process environment (S3 credentials; endpoint, region and path style come from
   *     {@code spec.artifacts.s3} when set there, as for the model artifacts)
   * @param retry how often a transient failure (connection error, HTTP 5xx or 429) is tried again
   * @param notice told of each failed attempt that will be retried
   * @return the local copy, or null when the source is already a local file
   * @throws RunFailure with {@link ExitCode#DATA_ERROR} naming the source when it cannot be fetched
   */
  public static Path stage(
      ForecastPipeline fp,
      Map<String, String> env,
      Path dir,
      DownloadRetry retry,
      Consumer<String> notice) {
    DataSource src = fp.getSpec().getData() == null ? null : fp.getSpec().getData().getSource();
    if (src == null) {
      return null;
    }
    String testPath = relativeTestPath(fp);
    if (src.getUrl() != null) {
      URI url = URI.create(src.getUrl());
      if (testPath != null) {
        // the test split sits next to the training data; ForecastSettings finds its copy beside
        // this one
        fromUrl(url.resolve(testPath), dir, retry, notice);
      }
      return fromUrl(url, dir, retry, notice);
    }
    if (src.getS3() != null) {
      String uri = "s3://" + src.getS3().getBucket() + "/" + src.getS3().getKey();
      S3Settings settings;
      try {
        settings = S3Settings.fromEnv(ConnectionEnvironment.merged(fp, env));
      } catch (IllegalArgumentException e) {
        throw new RunFailure(ExitCode.BAD_SPEC, "spec.data.source.s3: " + e.getMessage(), e);
      }
      Path target = target(dir, src.getS3().getKey());
      // one SDK attempt per try: the attempts counted (and reported) are the ones made
      try (S3ArtifactStore store = S3ArtifactStore.singleAttempt(settings)) {
        if (testPath != null) {
          String key = src.getS3().getKey();
          String testUri =
              "s3://"
                  + src.getS3().getBucket()
                  + "/"
                  + key.substring(0, key.lastIndexOf('/') + 1)
                  + testPath;
          download(store, testUri, target(dir, testPath), retry, notice);
        }
        return download(store, uri, target, retry, notice);
      } catch (RegistryException e) {
        throw new RunFailure(
            ExitCode.DATA_ERROR,
            "cannot read spec.data.source.s3 " + uri + ": " + e.getMessage(),
            e);
      }
    }
    return null;
  }

  private static Path download(
      S3ArtifactStore store,
      String uri,
      Path target,
      DownloadRetry retry,
      Consumer<String> notice) {
    return retry.get(
        "cannot read spec.data.source.s3 " + uri,
        notice,
        () -> {
          try {
            store.download(uri, target);
            return target;
          } catch (RegistryUnavailableException e) {
            throw new DownloadRetry.Transient(e.getMessage(), e);
          }
        });
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
    return fromUrl(url, dir, DownloadRetry.DEFAULT, notice -> {});
  }

  static Path fromUrl(URI url, Path dir, DownloadRetry retry, Consumer<String> notice) {
    String shown = shown(url);
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    Path target = target(dir, url.getPath());
    String what = "cannot download spec.data.source.url " + shown;
    return retry.get(
        what,
        notice,
        () -> {
          try {
            HttpResponse<Path> r =
                http.send(
                    HttpRequest.newBuilder(url).timeout(DOWNLOAD_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(target));
            if (r.statusCode() != 200) {
              Files.deleteIfExists(target);
              if (r.statusCode() >= 500 || r.statusCode() == 429) {
                throw new DownloadRetry.Transient("HTTP " + r.statusCode(), null);
              }
              throw new RunFailure(ExitCode.DATA_ERROR, what + ": HTTP " + r.statusCode());
            }
            return target;
          } catch (IOException e) {
            // refused, reset, timed out, cut short: the next attempt may well get through
            Files.deleteIfExists(target);
            throw new DownloadRetry.Transient(
                e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunFailure(
                ExitCode.INTERNAL,
                "interrupted while downloading spec.data.source.url " + shown,
                e);
          }
        });
  }

  /**
   * A remote source as it may be printed and recorded: an s3:// URI, or the URL without query and
   * user part.
   */
  public static String origin(ForecastPipeline fp) {
    DataSource src = fp.getSpec().getData().getSource();
    if (src.getS3() != null) {
      return "s3://" + src.getS3().getBucket() + "/" + src.getS3().getKey();
    }
    return src.getUrl() != null ? shown(URI.create(src.getUrl())) : String.valueOf(src.getPath());
  }

  /** The query may carry a presigned token and the user part a password: never print them. */
  private static String shown(URI url) {
    return url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + url.getRawPath();
  }

  /**
   * Keeps the source's file name so messages (file:line:column) point at something the user
   * recognises.
   */
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
