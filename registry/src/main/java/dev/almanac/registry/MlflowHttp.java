package dev.almanac.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP transport to MLflow's REST API ({@code /api/2.0/mlflow/...}) and its artifact proxy
 * ({@code /api/2.0/mlflow-artifacts/artifacts/...}): JSON in and out, connect and request timeouts
 * on every call, the credentials header, retries with exponential backoff for idempotent calls, and
 * errors mapped to the {@link RegistryException} family with MLflow's {@code error_code} and
 * message.
 *
 * <p>We do not route calls through {@code org.mlflow.tracking.MlflowClient}: its Apache HttpClient
 * has no connect or socket timeout and retries only 429, so a hung server would hang the operator.
 */
public final class MlflowHttp {
  private static final Logger LOG = LoggerFactory.getLogger(MlflowHttp.class);
  static final ObjectMapper JSON = new ObjectMapper();
  private static final String API = "/api/2.0/mlflow/";
  private static final String ARTIFACTS_API = "/api/2.0/mlflow-artifacts/artifacts";

  /** Whether a call may be repeated after a failure whose outcome is unknown. */
  public enum Retry {
    /** Reads and writes whose repetition ends in the same state. */
    IDEMPOTENT,
    /** Creates: a retry after a lost answer could create twice. */
    NEVER
  }

  private final MlflowSettings settings;
  private final HttpClient http;
  private final String base;

  public MlflowHttp(MlflowSettings settings) {
    this.settings = settings;
    // gunicorn and most proxies in front of MLflow speak HTTP/1.1 only; skip the h2c upgrade dance.
    // No redirects: a redirect to another host would carry the Authorization header along.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    var uri = settings.trackingUri().toString();
    this.base = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }

  public MlflowSettings settings() {
    return settings;
  }

  /** GET {@code /api/2.0/mlflow/<path>?query}; always retried. */
  public JsonNode get(String path, Map<String, String> query) {
    var request = request(URI.create(base + API + path + queryString(query))).GET();
    return json("GET " + path, request, Retry.IDEMPOTENT);
  }

  /** POST a JSON body to {@code /api/2.0/mlflow/<path>}. */
  public JsonNode post(String path, Object body, Retry retry) {
    var request =
        request(URI.create(base + API + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
    return json("POST " + path, request, retry);
  }

  /** PATCH a JSON body to {@code /api/2.0/mlflow/<path>} (MLflow 3: finalizing a logged model). */
  public JsonNode patch(String path, Object body, Retry retry) {
    var request =
        request(URI.create(base + API + path))
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
    return json("PATCH " + path, request, retry);
  }

  /** DELETE with a JSON body (MLflow reads DELETE parameters from the body); retried. */
  public JsonNode delete(String path, Object body) {
    var request =
        request(URI.create(base + API + path))
            .header("Content-Type", "application/json")
            .method("DELETE", HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
    return json("DELETE " + path, request, Retry.IDEMPOTENT);
  }

  /** URI of an artifact path on the server's artifact proxy ({@code path} relative to its root). */
  URI artifactUri(URI serverBase, String path) {
    var root = serverBase == null ? base : trimSlash(serverBase.toString());
    var encoded = new StringJoiner("/");
    for (var segment : path.split("/")) {
      if (!segment.isEmpty()) {
        encoded.add(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
      }
    }
    return URI.create(root + ARTIFACTS_API + "/" + encoded);
  }

  /** Lists one directory level of the artifact proxy. */
  JsonNode listArtifacts(URI serverBase, String path) {
    var root = serverBase == null ? base : trimSlash(serverBase.toString());
    var uri = URI.create(root + ARTIFACTS_API + queryString(Map.of("path", path)));
    return json("GET artifacts?path=" + path, request(uri).GET(), Retry.IDEMPOTENT);
  }

  /** PUT a file to the artifact proxy; overwriting makes it idempotent. */
  void putFile(URI uri, Path file) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new RegistryException("cannot read " + file + ": " + e.getMessage(), e);
    }
    send(
        "PUT " + uri.getPath(),
        () -> {
          try {
            return request(uri, transferTimeout(size))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(file));
          } catch (IOException e) {
            throw new RegistryException("cannot read " + file + ": " + e.getMessage(), e);
          }
        },
        HttpResponse.BodyHandlers.ofByteArray(),
        Retry.IDEMPOTENT);
  }

  /**
   * GET a small text file from a route outside the REST API ({@code rootPath} from the server's
   * root, e.g. {@code /model-versions/get-artifact}).
   */
  public String getText(String rootPath, Map<String, String> query, Retry retry) {
    var uri = URI.create(base + rootPath + queryString(query));
    var response =
        send(
            "GET " + rootPath,
            () -> request(uri).GET(),
            HttpResponse.BodyHandlers.ofByteArray(),
            retry);
    return new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** GET a file from the artifact proxy into {@code target} (replaced if present). */
  void getFile(URI uri, Path target) {
    HttpResponse.BodyHandler<Object> handler =
        info ->
            info.statusCode() / 100 == 2
                ? HttpResponse.BodySubscribers.mapping(
                    HttpResponse.BodySubscribers.ofFile(
                        target,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING),
                    p -> (Object) p)
                : HttpResponse.BodySubscribers.mapping(
                    HttpResponse.BodySubscribers.ofByteArray(), b -> (Object) b);
    send(
        "GET " + uri.getPath(),
        () -> request(uri, transferTimeout(0)).GET(),
        handler,
        Retry.IDEMPOTENT);
  }

  private JsonNode json(String call, HttpRequest.Builder request, Retry retry) {
    var response = send(call, () -> request, HttpResponse.BodyHandlers.ofByteArray(), retry);
    var body = response.body();
    if (body == null || body.length == 0) {
      return MissingNode.getInstance();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new RegistryException(
          "MLflow at " + base + " answered " + call + " with invalid JSON: " + e.getMessage(), e);
    }
  }

  private <T> HttpResponse<T> send(
      String call, RequestFactory request, HttpResponse.BodyHandler<T> handler, Retry retry) {
    int attempts = retry == Retry.IDEMPOTENT ? settings.maxAttempts() : 1;
    long backoffMillis = settings.initialBackoff().toMillis();
    RegistryException last = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) {
        sleep(backoffMillis);
        backoffMillis = Math.min(backoffMillis * 2, 5_000);
      }
      HttpResponse<T> response;
      try {
        response = http.send(request.create().build(), handler);
      } catch (HttpTimeoutException e) {
        last =
            new RegistryUnavailableException(
                "MLflow at "
                    + base
                    + " timed out on "
                    + call
                    + " after "
                    + (e instanceof java.net.http.HttpConnectTimeoutException
                        ? settings.connectTimeout()
                        : settings.requestTimeout()),
                0,
                e);
        LOG.debug("{} attempt {}/{} timed out", call, attempt, attempts);
        continue;
      } catch (IOException e) {
        last =
            new RegistryUnavailableException(
                "MLflow at " + base + " unreachable on " + call + ": " + describe(e), 0, e);
        LOG.debug("{} attempt {}/{} failed: {}", call, attempt, attempts, describe(e));
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryUnavailableException("interrupted during " + call, 0, e);
      }
      int status = response.statusCode();
      if (status / 100 == 2) {
        return response;
      }
      var error = errorOf(response.body());
      String message =
          "MLflow at "
              + base
              + " refused "
              + call
              + ": HTTP "
              + status
              + (error.code().isEmpty() ? "" : " " + error.code())
              + (error.message().isEmpty() ? "" : ": " + error.message());
      if (status >= 500 || status == 429) {
        last = new RegistryUnavailableException(message, status, null);
        LOG.debug("{} attempt {}/{}: HTTP {}", call, attempt, attempts, status);
        continue;
      }
      throw requestError(message, status, error);
    }
    throw last;
  }

  static RegistryRequestException requestError(String message, int status, MlflowError error) {
    if (status == 404 || "RESOURCE_DOES_NOT_EXIST".equals(error.code())) {
      return new ResourceNotFoundException(message, status, error.code(), error.message());
    }
    if (status == 401
        || status == 403
        || "PERMISSION_DENIED".equals(error.code())
        || "UNAUTHENTICATED".equals(error.code())) {
      return new RegistryAccessDeniedException(
          message + " (check MLFLOW_TRACKING_USERNAME/PASSWORD or TOKEN)",
          status,
          error.code(),
          error.message());
    }
    return new RegistryRequestException(message, status, error.code(), error.message());
  }

  /**
   * MLflow's error body {@code {"error_code": ..., "message": ...}}; tolerant of HTML and empty
   * bodies.
   */
  record MlflowError(String code, String message) {}

  static MlflowError errorOf(Object body) {
    if (!(body instanceof byte[] bytes) || bytes.length == 0) {
      return new MlflowError("", "");
    }
    try {
      var node = JSON.readTree(bytes);
      if (node != null && node.isObject()) {
        return new MlflowError(node.path("error_code").asText(""), node.path("message").asText(""));
      }
    } catch (IOException notJson) {
      // fall through: proxies answer with HTML or plain text
    }
    var text = new String(bytes, StandardCharsets.UTF_8).strip();
    return new MlflowError("", text.length() > 500 ? text.substring(0, 500) + "..." : text);
  }

  private HttpRequest.Builder request(URI uri) {
    return request(uri, settings.requestTimeout());
  }

  private HttpRequest.Builder request(URI uri, Duration timeout) {
    var builder =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Accept", "application/json")
            .header("User-Agent", "almanac-registry");
    settings.credentials().ifPresent(c -> builder.header("Authorization", c.authorizationHeader()));
    return builder;
  }

  /**
   * Artifact transfers get the request timeout plus one second per MiB (a slow link is not a dead
   * one).
   */
  private Duration transferTimeout(long bytes) {
    return settings.requestTimeout().plusSeconds(bytes / (1024 * 1024));
  }

  private static byte[] bytes(Object body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot serialize request body: " + e.getMessage(), e);
    }
  }

  static String queryString(Map<String, String> query) {
    if (query.isEmpty()) {
      return "";
    }
    var joiner = new StringJoiner("&", "?", "");
    query.forEach(
        (k, v) ->
            joiner.add(
                URLEncoder.encode(k, StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return joiner.toString();
  }

  private static String trimSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /**
   * What went wrong in words an operator's user reads in a condition (no exception class names).
   */
  static String describe(IOException e) {
    var message = e.getMessage();
    if (message == null || message.isBlank()) {
      message =
          e.getCause() != null && e.getCause().getMessage() != null
              ? e.getCause().getMessage()
              : "";
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (e instanceof java.net.ConnectException || root instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (e instanceof java.net.UnknownHostException
        || root instanceof java.nio.channels.UnresolvedAddressException
        || root instanceof java.net.UnknownHostException) {
      return "unknown host" + (message.isBlank() ? "" : " " + message);
    }
    if (e instanceof java.io.EOFException
        || message.contains("closed")
        || message.contains("reset")) {
      return "connection closed by the server" + (message.isBlank() ? "" : " (" + message + ")");
    }
    return message.isBlank() ? "I/O error" : message;
  }

  private static void sleep(long baseMillis) {
    // jitter spreads retries of many reconcilers hitting the same restarted server
    long jittered = (long) (baseMillis * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
    try {
      Thread.sleep(jittered);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException("interrupted while backing off", 0, e);
    }
  }

  @FunctionalInterface
  private interface RequestFactory {
    HttpRequest.Builder create();
  }
}
