package dev.almanac.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@link ArtifactStore} for {@code s3://bucket/key} URIs (AWS S3, MinIO, moto), with the AWS SDK v2
 * and its URL-connection HTTP client. Files above the multipart threshold go up in parts; a failed
 * multipart upload is aborted so no partial object ever appears.
 */
public final class S3ArtifactStore implements ArtifactStore {
  private static final Logger LOG = LoggerFactory.getLogger(S3ArtifactStore.class);
  public static final long DEFAULT_MULTIPART_THRESHOLD = 16L * 1024 * 1024;
  public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;

  /** S3's minimum for every part but the last. */
  public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

  private final S3Client s3;
  private final String endpointName;
  private final long multipartThreshold;
  private final int partSize;

  public S3ArtifactStore(S3Settings settings) {
    this(settings, DEFAULT_MULTIPART_THRESHOLD, DEFAULT_PART_SIZE);
  }

  public S3ArtifactStore(S3Settings settings, long multipartThreshold, int partSize) {
    this(settings, multipartThreshold, partSize, true);
  }

  /**
   * A store whose every call is tried exactly once: for a caller with its own retry policy, so the
   * number of attempts it reports is the number made (the SDK's retries would multiply it).
   */
  public static S3ArtifactStore singleAttempt(S3Settings settings) {
    return new S3ArtifactStore(settings, DEFAULT_MULTIPART_THRESHOLD, DEFAULT_PART_SIZE, false);
  }

  private S3ArtifactStore(
      S3Settings settings, long multipartThreshold, int partSize, boolean sdkRetries) {
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException(
          "S3 part size must be >= " + MIN_PART_SIZE + " bytes, got " + partSize);
    }
    this.multipartThreshold = multipartThreshold;
    this.partSize = partSize;
    this.endpointName =
        settings.endpoint().map(URI::toString).orElse("AWS S3 (" + settings.region() + ")");
    var builder =
        S3Client.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(5))
                    .socketTimeout(settings.timeout()))
            .region(Region.of(settings.region()))
            .forcePathStyle(settings.pathStyle())
            .credentialsProvider(credentials(settings))
            // our manifest carries SHA-256 per file; skip the SDK's aws-chunked CRC trailers that
            // some
            // S3-compatible servers reject
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .overrideConfiguration(
                c -> {
                  c.apiCallAttemptTimeout(settings.timeout());
                  if (!sdkRetries) {
                    c.retryStrategy(AwsRetryStrategy.doNotRetry());
                  }
                });
    settings.endpoint().ifPresent(builder::endpointOverride);
    this.s3 = builder.build();
  }

  private static AwsCredentialsProvider credentials(S3Settings settings) {
    if (settings.accessKey().isEmpty()) {
      return DefaultCredentialsProvider.builder().build();
    }
    var access = settings.accessKey().get();
    var secret = settings.secretKey().orElseThrow();
    return StaticCredentialsProvider.create(
        settings
            .sessionToken()
            .<software.amazon.awssdk.auth.credentials.AwsCredentials>map(
                t -> AwsSessionCredentials.create(access, secret, t))
            .orElseGet(() -> AwsBasicCredentials.create(access, secret)));
  }

  @Override
  public boolean handles(String uri) {
    return uri.startsWith("s3://") || uri.startsWith("s3a://");
  }

  @Override
  public void upload(Path file, String uri) {
    var location = S3Location.parse(uri);
    try {
      long size = Files.size(file);
      if (size > multipartThreshold) {
        uploadMultipart(file, size, location);
      } else {
        // S3 checks the body against this digest and rejects a corrupted upload
        var checksum = sha256Base64(file);
        s3.putObject(
            b ->
                b.bucket(location.bucket())
                    .key(location.key())
                    .contentLength(size)
                    .checksumSHA256(checksum),
            RequestBody.fromFile(file));
      }
    } catch (SdkException e) {
      throw failure("upload " + file.getFileName() + " to", uri, e);
    } catch (IOException e) {
      throw new RegistryException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private void uploadMultipart(Path file, long size, S3Location location) throws IOException {
    var uploadId =
        s3.createMultipartUpload(b -> b.bucket(location.bucket()).key(location.key())).uploadId();
    try (InputStream in = Files.newInputStream(file)) {
      var parts = new ArrayList<CompletedPart>();
      int partNumber = 1;
      for (long offset = 0; offset < size; offset += partSize, partNumber++) {
        var part = in.readNBytes((int) Math.min(partSize, size - offset));
        int number = partNumber;
        var etag =
            s3.uploadPart(
                    b ->
                        b.bucket(location.bucket())
                            .key(location.key())
                            .uploadId(uploadId)
                            .partNumber(number)
                            .contentLength((long) part.length),
                    RequestBody.fromBytes(part))
                .eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      }
      s3.completeMultipartUpload(
          b ->
              b.bucket(location.bucket())
                  .key(location.key())
                  .uploadId(uploadId)
                  .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
    } catch (IOException | RuntimeException e) {
      try {
        s3.abortMultipartUpload(
            b -> b.bucket(location.bucket()).key(location.key()).uploadId(uploadId));
      } catch (SdkException abortFailed) {
        // the bucket's lifecycle rule for incomplete uploads cleans up what we could not abort
        LOG.warn("could not abort multipart upload of {}: {}", location, abortFailed.getMessage());
      }
      throw e;
    }
  }

  @Override
  public void download(String uri, Path target) {
    var location = S3Location.parse(uri);
    try {
      Files.deleteIfExists(target);
      s3.getObject(
          b -> b.bucket(location.bucket()).key(location.key()), ResponseTransformer.toFile(target));
    } catch (SdkException e) {
      throw failure("download", uri, e);
    } catch (IOException e) {
      throw new RegistryException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean exists(String uri) {
    var location = S3Location.parse(uri);
    try {
      s3.headObject(b -> b.bucket(location.bucket()).key(location.key()));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw failure("check", uri, e);
    } catch (SdkException e) {
      throw failure("check", uri, e);
    }
  }

  @Override
  public java.util.List<ArtifactFile> list(String uri) {
    var location = S3Location.parse(ArtifactTransfer.trimSlash(uri) + "/");
    var out = new ArrayList<ArtifactFile>();
    try {
      for (var object :
          s3.listObjectsV2Paginator(b -> b.bucket(location.bucket()).prefix(location.key()))
              .contents()) {
        var relative = object.key().substring(location.key().length());
        if (!relative.isEmpty() && !relative.endsWith("/")) {
          out.add(new ArtifactFile(relative, object.size()));
        }
      }
    } catch (SdkException e) {
      throw failure("list", uri, e);
    }
    return out;
  }

  /** The raw client, for tests and tools that need S3 calls this store does not wrap. */
  public S3Client client() {
    return s3;
  }

  @Override
  public void close() {
    s3.close();
  }

  private RegistryException failure(String action, String uri, SdkException e) {
    if (e instanceof S3Exception s3e) {
      int status = s3e.statusCode();
      var details = s3e.awsErrorDetails();
      var code = details == null || details.errorCode() == null ? "" : details.errorCode();
      var serverMessage =
          details == null || details.errorMessage() == null
              ? s3e.getMessage()
              : details.errorMessage();
      var message =
          "S3 at "
              + endpointName
              + " refused to "
              + action
              + " "
              + uri
              + ": HTTP "
              + status
              + " "
              + code
              + ": "
              + serverMessage;
      if (status >= 500 || status == 429) {
        return new RegistryUnavailableException(message, status, e);
      }
      return MlflowHttp.requestError(
          message,
          status,
          new MlflowHttp.MlflowError(
              status == 404 ? "RESOURCE_DOES_NOT_EXIST" : code, serverMessage));
    }
    if (e instanceof SdkClientException) {
      return new RegistryUnavailableException(
          "S3 at " + endpointName + " unreachable to " + action + " " + uri + ": " + e.getMessage(),
          0,
          e);
    }
    return new RegistryException(
        "S3 at " + endpointName + " failed to " + action + " " + uri + ": " + e.getMessage(), e);
  }

  private static String sha256Base64(Path file) throws IOException {
    return Base64.getEncoder().encodeToString(Sha256.of(file));
  }

  /** {@code s3://bucket/key} split in its parts. */
  record S3Location(String bucket, String key) {
    static S3Location parse(String uri) {
      int schemeEnd = uri.indexOf("://");
      if (schemeEnd < 0) {
        throw new IllegalArgumentException("not an S3 URI: " + uri);
      }
      var rest = uri.substring(schemeEnd + 3);
      int slash = rest.indexOf('/');
      if (slash <= 0 || slash == rest.length() - 1) {
        throw new IllegalArgumentException("S3 URI '" + uri + "' must be s3://<bucket>/<key>");
      }
      return new S3Location(rest.substring(0, slash), rest.substring(slash + 1));
    }

    @Override
    public String toString() {
      return "s3://" + bucket + "/" + key;
    }
  }
}
